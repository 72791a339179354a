// The small pieces of a task shown in rows, cards and the drawer: priority icon, due date in
// words, labels.
import { ArrowDown, ArrowUp, TriangleExclamationPoint } from "lucide-react";
import { cx } from "@/components/ui/cx";
import type { Priority, Task } from "@/lib/api/types";
import { dueState, dueText, formatDateTime } from "@/lib/dates";

export const PRIORITY_LABELS: Record<Priority, string> = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" };
export const STATUS_LABELS = { todo: "To do", in_progress: "In progress", done: "Done" } as const;

/** Urgent, high and low get an icon; medium (the default) stays quiet unless `always`. */
export function PriorityIcon({ priority, className, always = false }: { priority: Priority; className?: string; always?: boolean }) {
  const label = `Priority: ${PRIORITY_LABELS[priority]}`;
  const common = cx("size-4 shrink-0", className);
  if (priority === "medium" && !always) return <span className={common} aria-hidden="true" />;
  const icon =
    priority === "urgent" ? (
      <TriangleExclamationPoint className={cx(common, "text-danger")} aria-hidden="true" />
    ) : priority === "high" ? (
      <ArrowUp className={cx(common, "text-warn")} aria-hidden="true" />
    ) : priority === "medium" ? (
      <span className={cx(common, "inline-flex items-center justify-center font-bold leading-none text-muted")} aria-hidden="true">–</span>
    ) : (
      <ArrowDown className={cx(common, "text-muted")} aria-hidden="true" />
    );
  return (
    <span role="img" aria-label={label} title={label} className="inline-flex">
      {icon}
    </span>
  );
}

export function DueText({ task, timeZone, now }: { task: Pick<Task, "due_at" | "status">; timeZone: string; now?: number }) {
  if (!task.due_at) return null;
  const done = task.status === "done";
  const state = dueState(task.due_at, done, now);
  return (
    <time
      dateTime={task.due_at}
      title={`Due ${formatDateTime(task.due_at, timeZone)} (${timeZone})`}
      className={cx(
        "shrink-0 whitespace-nowrap text-xs tabular-nums",
        state === "overdue" ? "font-medium text-danger" : state === "soon" ? "font-medium text-warn" : "text-muted",
      )}
      data-due={state}
    >
      <span className="sr-only">Due </span>
      {dueText(task.due_at, done, timeZone, now)}
    </time>
  );
}

export function Labels({ labels, className }: { labels: readonly string[]; className?: string }) {
  if (labels.length === 0) return null;
  return (
    <ul className={cx("flex min-w-0 gap-1 overflow-hidden", className)} aria-label="Labels">
      {labels.map((label) => (
        <li key={label} className="shrink-0 rounded bg-subtle px-1.5 text-xs text-muted">
          #{label}
        </li>
      ))}
    </ul>
  );
}
