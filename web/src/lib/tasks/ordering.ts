// Which tasks a list holds and in what order — the server's rules, so a task the client adds or
// changes lands where a reload would put it — and the neighbours a board drop sends.
import type { Priority, SortKey, SortOrder, Status, Task } from "@/lib/api/types";

export type DueWindow = "any" | "overdue" | "day" | "week";

/** One list of a project's tasks as the API serves it (GET /projects/{id}/tasks). */
export interface ListSpec {
  status?: Status;
  priority?: Priority;
  label?: string;
  due?: DueWindow;
  /** A fixed range of due dates (ISO instants, from inclusive, to exclusive): a calendar's. */
  dueFrom?: string;
  dueTo?: string;
  sort: SortKey;
  order: SortOrder;
}

const DAY = 24 * 3600 * 1000;
const PRIORITY_RANK: Record<Priority, number> = { low: 0, medium: 1, high: 2, urgent: 3 };
/** The server's key for a task without a due date: after every date. */
const NO_DUE = "~";
/** After every key the server makes (opaque, but never starting with U+FFFF). */
const END = "\uffff";

/** `due_after` / `due_before` of a list: its fixed range, else its window at `now`. */
export function specDueRange(spec: Pick<ListSpec, "due" | "dueFrom" | "dueTo">, now = Date.now()): { due_after?: string; due_before?: string } {
  if (spec.dueFrom || spec.dueTo) return { ...(spec.dueFrom ? { due_after: spec.dueFrom } : {}), ...(spec.dueTo ? { due_before: spec.dueTo } : {}) };
  return dueRange(spec.due, now);
}

/** `due_after` / `due_before` of a due window at `now`. */
export function dueRange(window: DueWindow | undefined, now = Date.now()): { due_after?: string; due_before?: string } {
  const iso = (ms: number) => new Date(ms).toISOString();
  switch (window) {
    case "overdue":
      return { due_before: iso(now) };
    case "day":
      return { due_after: iso(now), due_before: iso(now + DAY) };
    case "week":
      return { due_after: iso(now), due_before: iso(now + 7 * DAY) };
    default:
      return {};
  }
}

/** "Urgent, Q3 budget,  urgent" → ["urgent", "q3 budget"] (the API normalises the same way). */
export function normaliseLabel(raw: string): string {
  return raw.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}

export function parseLabels(text: string): string[] {
  return [...new Set(text.split(",").map(normaliseLabel).filter(Boolean))];
}

/** Whether the list `spec` holds `task` (its filters), at `now` for due windows. */
export function matches(task: Task, spec: ListSpec, now = Date.now()): boolean {
  if (spec.status && task.status !== spec.status) return false;
  if (spec.priority && task.priority !== spec.priority) return false;
  if (spec.label && !task.labels.includes(normaliseLabel(spec.label))) return false;
  const { due_after, due_before } = specDueRange(spec, now);
  if (due_after || due_before) {
    if (!task.due_at) return false;
    const due = Date.parse(task.due_at);
    if (due_after && due < Date.parse(due_after)) return false;
    if (due_before && due >= Date.parse(due_before)) return false;
  }
  return true;
}

function sortKey(task: Task, sort: SortKey): string {
  switch (sort) {
    case "position":
      return task.position ?? END;
    case "due":
      return task.due_at ? new Date(task.due_at).toISOString() : NO_DUE;
    case "priority":
      return String(PRIORITY_RANK[task.priority]);
    default:
      return "";
  }
}

/** The server's order: the sort key, then the task id (creation order); `desc` reverses both. */
export function compareTasks(a: Task, b: Task, spec: Pick<ListSpec, "sort" | "order">): number {
  const ka = sortKey(a, spec.sort);
  const kb = sortKey(b, spec.sort);
  let result = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  if (spec.order === "desc") result = -result;
  return result;
}

/** Where `task` goes in `list` (already in order): the index of the first task after it. */
export function insertionIndex(list: readonly Task[], task: Task, spec: Pick<ListSpec, "sort" | "order">): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareTasks(list[mid] as Task, task, spec) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A position strictly between two neighbours' positions, for a task placed optimistically
 * (the server's answer replaces it). Keys are opaque, but any string sorts after its own
 * prefix and before that prefix's next key, and "" sorts before every other string: the top. */
export function provisionalPosition(after: string | null | undefined): string {
  return after == null ? "" : `${after}\u0000`;
}

export interface Neighbours {
  after: Task | null;
  before: Task | null;
}

/** The tasks just above and below `index` in `column` once `movingId` has left it. */
export function neighboursAt(column: readonly Task[], index: number, movingId: string): Neighbours {
  const others = column.filter((t) => t.id !== movingId);
  const at = Math.max(0, Math.min(index, others.length));
  return { after: others[at - 1] ?? null, before: others[at] ?? null };
}

/** An id for a task the server has not answered for yet: the project's prefix (a task id
 * starts with its project's id) and "~", which sorts after every id the server makes, as a new
 * task does in creation order. */
export function temporaryId(projectId: string): string {
  return `${projectId}-~${crypto.randomUUID()}`;
}

export function isTemporary(id: string): boolean {
  return id.includes("-~");
}
