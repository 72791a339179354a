"use client";
// Renders its children only for a signed-in user; otherwise back to the log-in page.
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { useSession } from "@/lib/session";
import { ErrorMessage } from "./ui/Status";

function ShellSkeleton() {
  return (
    <div className="flex min-h-dvh" role="status" aria-live="polite">
      <span className="sr-only">Loading your session</span>
      <div className="hidden w-64 shrink-0 border-r border-line bg-surface p-3 md:block" aria-hidden="true">
        <div className="skeleton mb-6 h-7 w-32" />
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="skeleton mb-2 h-6" />
        ))}
      </div>
      <div className="flex-1" aria-hidden="true">
        <div className="h-12 border-b border-line" />
        <div className="space-y-3 p-6">
          <div className="skeleton h-7 w-48" />
          <div className="skeleton h-9" />
          <div className="skeleton h-9" />
          <div className="skeleton h-9" />
        </div>
      </div>
    </div>
  );
}

export function RequireSession({ children }: { children: ReactNode }) {
  const { ready, user, configError, endReason } = useSession();
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    if (!ready || user) return;
    // Logged out on purpose: a fresh start. Otherwise come back here after logging in.
    const next = `${pathname}${window.location.search}`;
    if (endReason === "logout") router.replace("/login");
    else router.replace(`/login?next=${encodeURIComponent(next)}${endReason === "expired" ? "&expired=1" : ""}`);
  }, [ready, user, endReason, router, pathname]);
  if (configError) {
    return (
      <main className="p-6">
        <ErrorMessage error={`Cannot start: ${configError}`} />
      </main>
    );
  }
  if (!ready || !user) return <ShellSkeleton />;
  return <>{children}</>;
}
