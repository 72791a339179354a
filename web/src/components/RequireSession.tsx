"use client";
// Renders its children only for a signed-in user; otherwise back to the log-in page.
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { useSession } from "@/lib/session";
import { ErrorMessage, Skeleton } from "./Status";

export function RequireSession({ children }: { children: ReactNode }) {
  const { ready, session, configError, endReason } = useSession();
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    if (!ready || session) return;
    // Logged out on purpose: a fresh start. Otherwise come back here after logging in.
    if (endReason === "logout") router.replace("/login");
    else router.replace(`/login?next=${encodeURIComponent(pathname)}${endReason === "expired" ? "&expired=1" : ""}`);
  }, [ready, session, endReason, router, pathname]);
  if (configError) {
    return (
      <main>
        <ErrorMessage error={`Cannot start: ${configError}`} />
      </main>
    );
  }
  if (!ready || !session) {
    return (
      <main>
        <Skeleton rows={4} label="Loading your session" />
      </main>
    );
  }
  return <>{children}</>;
}
