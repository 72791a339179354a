// Every cached copy of a task changes together: the project's lists (the board's columns are
// lists), the task itself, "assigned to me" and search hits. Optimistic updates, their
// rollbacks and the server's answers all go through here; so will live updates.
import type { InfiniteData, QueryClient, QueryKey } from "@tanstack/react-query";
import type { SearchPage, Status, Task, TaskPage } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { insertionIndex, isTemporary, matches, provisionalPosition, type ListSpec } from "./ordering";

export type Pages = InfiniteData<TaskPage, string | null>;

export function flatten(data: { pages: TaskPage[] } | undefined): Task[] {
  return data ? data.pages.flatMap((page) => page.items) : [];
}

function hasMore(data: Pages): boolean {
  return data.pages.at(-1)?.next_cursor != null;
}

/** `data` without the task `id` (the same object when it was not there). */
function without(data: Pages, id: string): Pages {
  if (!data.pages.some((page) => page.items.some((t) => t.id === id))) return data;
  return { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((t) => t.id !== id) })) };
}

/** `data` with `task` at flat index `index`, in the page that holds that index. */
function insertAt(data: Pages, index: number, task: Task): Pages {
  let offset = 0;
  let done = false;
  const pages = data.pages.map((page, i) => {
    const local = index - offset;
    offset += page.items.length;
    if (done || (local >= page.items.length && i < data.pages.length - 1)) return page;
    done = true;
    const items = [...page.items];
    items.splice(Math.min(local, items.length), 0, task);
    return { ...page, items };
  });
  return { ...data, pages };
}

/** A list's pages with `task` where the server would list it, or without it when the list's
 * filters exclude it. A task that sorts after everything loaded while more pages remain
 * belongs to a page not loaded yet: it is left for that page. */
export function placeInList(data: Pages, spec: ListSpec, task: Task, now = Date.now()): Pages {
  const rest = without(data, task.id);
  if (!matches(task, spec, now)) return rest;
  const list = flatten(rest);
  const index = insertionIndex(list, task, spec);
  if (index === list.length && hasMore(rest)) return rest;
  return insertAt(rest, index, task);
}

function specOf(key: QueryKey): ListSpec | null {
  const spec = key[2];
  return spec && typeof spec === "object" ? (spec as ListSpec) : null;
}

/** The task as every cache should now show it. */
export function upsertTask(client: QueryClient, task: Task, now = Date.now()): void {
  for (const [key, data] of client.getQueriesData<Pages>({ queryKey: keys.projectTasks(task.project_id) })) {
    const spec = specOf(key);
    if (data && spec) client.setQueryData<Pages>(key, placeInList(data, spec, task, now));
  }
  if (!isTemporary(task.id)) client.setQueryData<Task>(keys.task(task.id), task);
  client.setQueryData<Pages>(keys.assigned, (data) =>
    data && { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.map((t) => (t.id === task.id ? task : t)) })) },
  );
  for (const [key, data] of client.getQueriesData<InfiniteData<SearchPage>>({ queryKey: ["search"] })) {
    if (!data) continue;
    client.setQueryData(key, {
      ...data,
      pages: data.pages.map((page) => ({ ...page, items: page.items.map((hit) => (hit.task.id === task.id ? { ...hit, task } : hit)) })),
    });
  }
}

/** The task gone from every list (deleted, or an optimistic one replaced by the real one). */
export function removeTask(client: QueryClient, task: Pick<Task, "id" | "project_id">): void {
  for (const [key, data] of client.getQueriesData<Pages>({ queryKey: keys.projectTasks(task.project_id) })) {
    if (data && specOf(key)) client.setQueryData<Pages>(key, without(data, task.id));
  }
  client.setQueryData<Pages>(keys.assigned, (data) => data && without(data, task.id));
  client.removeQueries({ queryKey: keys.task(task.id), exact: true });
}

/** A task of mine arrived live before its create's own answer: it takes the place of its
 * optimistic copy (a temporary id, the same project and title), so a list never shows both.
 * The create's answer then finds the real task already there. */
export function replaceOptimisticCopy(client: QueryClient, task: Task): void {
  for (const [key, data] of client.getQueriesData<Pages>({ queryKey: keys.projectTasks(task.project_id) })) {
    if (!data || !specOf(key)) continue;
    const copy = flatten(data).find((t) => isTemporary(t.id) && t.title === task.title);
    if (copy) client.setQueryData<Pages>(key, without(data, copy.id));
  }
}

/** The freshest cached copy of a task (its detail, else any list holding it). */
export function cachedTask(client: QueryClient, id: string): Task | undefined {
  const detail = client.getQueryData<Task>(keys.task(id));
  if (detail) return detail;
  for (const [, data] of client.getQueriesData<Pages>({ queryKey: keys.allTasks })) {
    const found = flatten(data).find((t) => t.id === id);
    if (found) return found;
  }
  return undefined;
}

/** A board column's loaded tasks, in order (as the user sees them). */
export function columnTasks(client: QueryClient, projectId: string, status: Status): Task[] {
  return flatten(client.getQueryData<Pages>(keys.taskList(projectId, { status, sort: "position", order: "asc" })));
}

/** The task moved to `status` between `after` and the task below it, before the server
 * answers: a provisional position just after `after` keeps it there in every list. */
export function placeOptimistically(client: QueryClient, task: Task, status: Status, after: Task | null, now = Date.now()): Task {
  const moved: Task = {
    ...task,
    status,
    position: provisionalPosition(after?.position),
    completed_at: status === "done" ? (task.completed_at ?? new Date(now).toISOString()) : null,
  };
  upsertTask(client, moved, now);
  return moved;
}
