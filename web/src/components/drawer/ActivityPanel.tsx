"use client";
// Who changed what and when, newest first: a task's history (beside its comments) or a
// project's feed. The API records it from the table's stream a moment after each change.
import { useQuery } from "@tanstack/react-query";
import { History } from "lucide-react";
import { useId } from "react";
import { ErrorMessage, Skeleton } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { ActivityEntry, Member } from "@/lib/api/types";
import { formatDateTime, relativeDateTime } from "@/lib/dates";
import { personOf } from "@/lib/people";
import { useApi, useFeature } from "@/lib/session";

export const ACTIVITY_PATH = "/tasks/{task_id}/activity";

const FIELD_WORDS: Record<string, string> = {
  title: "the title",
  status: "the status",
  priority: "the priority",
  due_at: "the due date",
  assignee_id: "the assignee",
  labels: "the labels",
  description: "the description",
  recurrence: "the repeat rule",
  role: "the role",
  name: "the name",
  body: "the comment",
};

function shown(value: unknown, timeZone: string): string {
  if (value === null || value === undefined || value === "") return "nothing";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(value, timeZone);
  if (Array.isArray(value)) return value.length ? value.join(", ") : "nothing";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** One entry in words: "changed the priority from medium to high". */
export function describeEntry(entry: ActivityEntry, timeZone: string): string {
  const what = entry.subject === "task" ? "" : `${entry.subject} `;
  if (entry.action !== "updated") return `${entry.action} ${what}“${entry.label}”`.replace("  ", " ");
  if (entry.field === "checklist_item") {
    const old = entry.old as { text?: string; done?: boolean } | null;
    const now = entry.new as { text?: string; done?: boolean } | null;
    if (!old) return `added “${now?.text ?? ""}” to the checklist`;
    if (!now) return `removed “${old.text ?? ""}” from the checklist`;
    if (old.done !== now.done) return `${now.done ? "ticked" : "unticked"} “${now.text ?? ""}”`;
    return `renamed “${old.text ?? ""}” to “${now.text ?? ""}”`;
  }
  const field = FIELD_WORDS[entry.field ?? ""] ?? entry.field ?? "something";
  if (entry.field === "description" || entry.field === "body") return `edited ${field}`;
  return `changed ${field} from ${shown(entry.old, timeZone)} to ${shown(entry.new, timeZone)}`;
}

interface Props {
  /** A task's history, or (with `projectId`) the project's feed. */
  taskId?: string;
  projectId?: string;
  members: readonly Member[] | null;
  me: { id: string; name: string };
  timeZone: string;
}

export function ActivityPanel({ taskId, projectId, members, me, timeZone }: Props) {
  const api = useApi();
  const available = useFeature(ACTIVITY_PATH);
  const id = useId();
  const scope = taskId ?? projectId ?? "";
  const activity = useQuery({
    queryKey: ["activity", scope],
    queryFn: () => (taskId ? api.taskActivity(taskId) : api.projectActivity(projectId ?? "")),
    enabled: available === true && Boolean(scope),
    // Recorded from the stream: a moment behind the change that caused it.
    refetchInterval: 5_000,
  });
  if (available === false) return null;
  const entries = activity.data?.items ?? [];
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-2">
      <h3 id={`${id}-heading`} className="flex items-center gap-1.5 text-xs font-semibold uppercase tracking-wide text-muted">
        <History className="size-3.5" aria-hidden="true" /> {taskId ? "History" : "Activity"}
      </h3>
      {activity.isPending ? <Skeleton rows={1} label="Loading the history" /> : null}
      <ErrorMessage error={activity.error ? errorMessage(activity.error) : null} />
      {entries.length ? (
        <ol className="space-y-1.5 text-sm" aria-label={taskId ? "History" : "Activity"} data-testid="activity">
          {entries.map((entry) => {
            const who = entry.actor_id ? personOf(entry.actor_id, members, me) : null;
            const name = entry.actor_id === me.id ? "You" : (who?.name ?? (entry.actor_id ? "Someone" : "Tasklane"));
            return (
              <li key={entry.id} className="flex flex-wrap gap-x-1.5">
                <span className="font-medium">{name}</span>
                <span className="[overflow-wrap:anywhere]">{describeEntry(entry, timeZone)}</span>
                {!taskId && entry.task_id && entry.subject !== "task" ? <span className="text-muted">on a task</span> : null}
                <time dateTime={entry.at} title={formatDateTime(entry.at, timeZone)} className="text-xs text-muted">
                  {relativeDateTime(entry.at, timeZone)}
                </time>
              </li>
            );
          })}
        </ol>
      ) : activity.isSuccess ? (
        <p className="text-muted">Nothing yet.</p>
      ) : null}
    </section>
  );
}
