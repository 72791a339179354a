// A project view's state lives in the URL (shareable, kept on back/forward): the view, how the
// list is grouped and sorted, its filters, whether done tasks show, and the open task. The view
// (list or board) is also remembered per project on this device.
import type { Priority, SortOrder } from "@/lib/api/types";
import { PRIORITIES } from "@/lib/api/types";
import type { DueWindow, ListSpec } from "@/lib/tasks/ordering";

export type ViewKind = "list" | "board" | "calendar";
export type GroupBy = "status" | "due" | "none";
/** "board": the board's manual order (grouped by status); the others sort by the API. */
export type ListSort = "board" | "created" | "due" | "priority";

export interface ViewState {
  view: ViewKind;
  group: GroupBy;
  sort: ListSort;
  order: SortOrder;
  priority: Priority | null;
  label: string;
  due: DueWindow;
  showDone: boolean;
  /** The calendar's month, "2026-12" (the current one when absent). */
  month: string | null;
  task: string | null;
}

export const DEFAULTS: Omit<ViewState, "view" | "task" | "month"> = {
  group: "status",
  sort: "board",
  order: "asc",
  priority: null,
  label: "",
  due: "any",
  showDone: true,
};

const VIEW_KEY = (projectId: string) => `tasklane.view.${projectId}`;

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function readViewState(params: URLSearchParams, rememberedView: ViewKind | null): ViewState {
  return {
    view: pick(params.get("view"), ["list", "board", "calendar"], rememberedView ?? "list"),
    group: pick(params.get("group"), ["status", "due", "none"], DEFAULTS.group),
    sort: pick(params.get("sort"), ["board", "created", "due", "priority"], DEFAULTS.sort),
    order: pick(params.get("order"), ["asc", "desc"], DEFAULTS.order),
    priority: params.get("priority") && PRIORITIES.includes(params.get("priority") as Priority) ? (params.get("priority") as Priority) : null,
    label: params.get("label") ?? "",
    due: pick(params.get("due"), ["any", "overdue", "day", "week"], DEFAULTS.due),
    showDone: params.get("done") !== "hide",
    month: /^\d{4}-\d{2}$/.test(params.get("month") ?? "") ? params.get("month") : null,
    task: params.get("task"),
  };
}

/** The query string for a state: defaults left out, so a plain project URL stays plain. */
export function writeViewState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.view !== "list") params.set("view", state.view);
  if (state.group !== DEFAULTS.group) params.set("group", state.group);
  if (state.sort !== DEFAULTS.sort) params.set("sort", state.sort);
  if (state.order !== DEFAULTS.order) params.set("order", state.order);
  if (state.priority) params.set("priority", state.priority);
  if (state.label.trim()) params.set("label", state.label.trim());
  if (state.due !== DEFAULTS.due) params.set("due", state.due);
  if (!state.showDone) params.set("done", "hide");
  if (state.month) params.set("month", state.month);
  if (state.task) params.set("task", state.task);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The filters of a view, as list queries take them. */
export function filterSpec(state: ViewState): Omit<ListSpec, "sort" | "order"> {
  return {
    ...(state.priority ? { priority: state.priority } : {}),
    ...(state.label.trim() ? { label: state.label.trim() } : {}),
    ...(state.due !== "any" ? { due: state.due } : {}),
  };
}

export function hasFilters(state: ViewState): boolean {
  return state.priority !== null || state.label.trim() !== "" || state.due !== "any";
}

export function rememberView(projectId: string, view: ViewKind): void {
  try {
    localStorage.setItem(VIEW_KEY(projectId), view);
  } catch {
    // private mode: the URL still carries it
  }
}

export function rememberedView(projectId: string): ViewKind | null {
  try {
    const value = localStorage.getItem(VIEW_KEY(projectId));
    return value === "list" || value === "board" || value === "calendar" ? value : null;
  } catch {
    return null;
  }
}
