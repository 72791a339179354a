// Counts from GET /stats with every status and priority present (the API always sends them,
// zeros too; its schema calls them optional, so the reading is defensive here, once).
import { PRIORITIES, STATUSES, type Counts, type Priority, type Status } from "@/lib/api/types";

export interface Tally {
  total: number;
  by_status: Record<Status, number>;
  by_priority: Record<Priority, number>;
  overdue: number;
  due_today: number;
  due_this_week: number;
}

export function tally(counts: Counts | undefined): Tally {
  return {
    total: counts?.total ?? 0,
    by_status: Object.fromEntries(STATUSES.map((s) => [s, counts?.by_status?.[s] ?? 0])) as Record<Status, number>,
    by_priority: Object.fromEntries(PRIORITIES.map((p) => [p, counts?.by_priority?.[p] ?? 0])) as Record<Priority, number>,
    overdue: counts?.overdue ?? 0,
    due_today: counts?.due_today ?? 0,
    due_this_week: counts?.due_this_week ?? 0,
  };
}

/** Tasks not done yet. */
export function openTasks(counts: Counts | undefined): number {
  const t = tally(counts);
  return t.by_status.todo + t.by_status.in_progress;
}
