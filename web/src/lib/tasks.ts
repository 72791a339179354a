// Task rules the UI needs: what changed in an edit, what a due filter means, label input.
import type { Task, TaskFilters, TaskInput } from "./types";

export type DueWindow = "any" | "overdue" | "day" | "week";

export const DUE_WINDOWS: Record<DueWindow, string> = {
  any: "Any time",
  overdue: "Overdue",
  day: "Next 24 hours",
  week: "Next 7 days",
};

/** `due_after` / `due_before` for a window, relative to `now`. */
export function dueRange(window: DueWindow, now = Date.now()): Pick<TaskFilters, "due_after" | "due_before"> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const day = 24 * 3600 * 1000;
  switch (window) {
    case "overdue":
      return { due_before: iso(now) };
    case "day":
      return { due_after: iso(now), due_before: iso(now + day) };
    case "week":
      return { due_after: iso(now), due_before: iso(now + 7 * day) };
    default:
      return {};
  }
}

/** "Urgent, Q3 budget,  urgent" → ["urgent", "q3 budget"] (the API normalises the same way). */
export function parseLabels(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(",")) {
    const label = raw.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
    if (label) seen.add(label);
  }
  return [...seen];
}

/** Only the fields an edit changed: a PATCH must not overwrite what it did not touch. */
export function taskChanges(task: Task, input: TaskInput): Partial<TaskInput> {
  const changes: Partial<TaskInput> = {};
  if (input.title !== task.title) changes.title = input.title;
  if (input.description !== task.description) changes.description = input.description;
  if (input.status !== task.status) changes.status = input.status;
  if (input.priority !== task.priority) changes.priority = input.priority;
  if ((input.due_at ? Date.parse(input.due_at) : null) !== (task.due_at ? Date.parse(task.due_at) : null)) {
    changes.due_at = input.due_at;
  }
  if (input.labels.join("\n") !== task.labels.join("\n")) changes.labels = input.labels;
  if (input.assignee_id !== undefined && input.assignee_id !== (task.assignee_id ?? null)) {
    changes.assignee_id = input.assignee_id;
  }
  return changes;
}

export const STATUS_LABELS = { todo: "To do", in_progress: "In progress", done: "Done" } as const;
export const PRIORITY_LABELS = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" } as const;
