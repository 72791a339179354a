"use client";
// Task lists as the API pages them, and "fill the page": a filtered page may come back short
// (the API reads at most limit + 1 items per request), so keep asking until the screen is full
// or the data ends — never an empty list while matches exist further on.
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { TaskQuery } from "@/lib/api/client";
import { errorMessage } from "@/lib/api/errors";
import type { Status, Task } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { useApi } from "@/lib/session";
import { cachedTask, flatten } from "./cache";
import { matches, specDueRange, type ListSpec } from "./ordering";

export const LIST_PAGE = 50;
export const COLUMN_PAGE = 20;

export function specQuery(spec: ListSpec, limit: number, now = Date.now()): TaskQuery {
  const { due, dueFrom, dueTo, ...rest } = spec;
  return { ...rest, ...specDueRange({ due, dueFrom, dueTo }, now), limit };
}

/** A board column (and a status group of the list): manual order once the API has it. */
export function columnSpec(status: Status, ordered: boolean): ListSpec {
  return { status, sort: ordered ? "position" : "created", order: "asc" };
}

/** Whether to ask for another page: fewer shown than wanted, and more exist. */
export function wantsMore(shown: number, wanted: number, hasNext: boolean, fetching: boolean): boolean {
  return hasNext && !fetching && shown < wanted;
}

export interface FilledList {
  tasks: Task[];
  /** The first page has not come yet. */
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  fetchingMore: boolean;
  /** Show another page's worth (fetching as many pages as that takes). */
  loadMore: () => void;
  /** The next page now (a drop below the last loaded task needs the task after it). */
  fetchNext: () => Promise<Task[]>;
  refetch: () => void;
}

/** Every task (a stable function: the list's memo keeps its identity between renders). */
const EVERY = (): boolean => true;

export function useFilledList(
  projectId: string,
  spec: ListSpec,
  { pageSize = LIST_PAGE, show = EVERY, enabled = true, all = false }: { pageSize?: number; show?: (task: Task) => boolean; enabled?: boolean; all?: boolean } = {},
): FilledList {
  const api = useApi();
  // `all`: every page (a calendar month shows every task due in it).
  const [wanted, setWanted] = useState(all ? Number.POSITIVE_INFINITY : pageSize);
  const query = useInfiniteQuery({
    queryKey: keys.taskList(projectId, spec),
    queryFn: ({ pageParam }) => api.listTasks(projectId, specQuery(spec, pageSize), pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    enabled,
  });
  const tasks = useMemo(() => flatten(query.data).filter(show), [query.data, show]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isFetching } = query;
  useEffect(() => {
    if (wantsMore(tasks.length, wanted, hasNextPage, isFetching)) void fetchNextPage();
  }, [tasks.length, wanted, hasNextPage, isFetching, fetchNextPage]);
  return {
    tasks,
    loading: query.isPending && enabled,
    error: query.error ? errorMessage(query.error) : null,
    hasMore: hasNextPage,
    fetchingMore: isFetchingNextPage || (hasNextPage && tasks.length < wanted),
    loadMore: () => setWanted(tasks.length + pageSize),
    fetchNext: async () => flatten((await fetchNextPage()).data).filter(show),
    refetch: () => void query.refetch(),
  };
}

/** The three columns of a board (and of the list in board order). A column is read as the
 * board contract serves it — status and order only — and filters apply here, filling the
 * screen: the queries stay those the API promises (and the same for every filter, so
 * changing one is instant). */
export function useColumns(projectId: string, ordered: boolean, filters: Omit<ListSpec, "sort" | "order">, { pageSize = COLUMN_PAGE, enabled = true, showDone = true } = {}): Record<Status, FilledList> {
  const key = JSON.stringify(filters);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const show = useCallback((task: Task) => matches(task, { ...filters, sort: "created", order: "asc" }), [key]);
  return {
    todo: useFilledList(projectId, columnSpec("todo", ordered), { pageSize, enabled, show }),
    in_progress: useFilledList(projectId, columnSpec("in_progress", ordered), { pageSize, enabled, show }),
    done: useFilledList(projectId, columnSpec("done", ordered), { pageSize, enabled: enabled && showDone, show }),
  };
}

/** One task, from the cache at once when a list has it, then fresh from the API. */
export function useTask(id: string) {
  const api = useApi();
  const client = useQueryClient();
  return useQuery({
    queryKey: keys.task(id),
    queryFn: () => api.getTask(id),
    placeholderData: () => cachedTask(client, id),
  });
}
