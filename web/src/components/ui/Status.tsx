// Loading, empty and error states, used by every page.
import type { ReactNode } from "react";
import { LoaderCircle } from "lucide-react";
import { cx } from "./cx";

export function Spinner({ label = "Loading", className }: { label?: string; className?: string }) {
  return (
    <span role="status" className={cx("inline-flex items-center", className)}>
      <LoaderCircle aria-hidden="true" className="size-4 animate-spin text-muted" />
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** Grey bars shaped like what is coming, announced once to screen readers. */
export function Skeleton({ rows = 3, label = "Loading", className }: { rows?: number; label?: string; className?: string }) {
  return (
    <div role="status" aria-live="polite" className={cx("space-y-2", className)}>
      <span className="sr-only">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton h-9" aria-hidden="true" />
      ))}
    </div>
  );
}

export function ErrorMessage({ error, className }: { error: string | null | undefined; className?: string }) {
  if (!error) return null;
  return (
    <p role="alert" className={cx("rounded-md border border-danger/30 bg-danger-soft px-3 py-2 text-danger", className)}>
      {error}
    </p>
  );
}

/** What an empty place is for, and what to do about it. */
export function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed border-line px-6 py-10 text-center">
      {icon ? <div className="text-muted" aria-hidden="true">{icon}</div> : null}
      <p className="font-medium">{title}</p>
      {children ? <div className="max-w-sm text-muted">{children}</div> : null}
    </div>
  );
}

export function Notice({ children, className }: { children: ReactNode; className?: string }) {
  return <p className={cx("rounded-md bg-warn-soft px-3 py-2 text-warn", className)}>{children}</p>;
}
