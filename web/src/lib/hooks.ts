"use client";
import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "./api";

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
  setData: (update: (current: T | undefined) => T | undefined) => void;
}

/** Runs `load` when its dependencies change (`key`), keeping the last answer or error. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ key: string; data?: T; error: string | null; loading: boolean }>({
    key: "",
    error: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ key, data, error: null, loading: false }),
      (error: unknown) => live && setState({ key, error: errorMessage(error), loading: false }),
    );
    return () => {
      live = false;
    };
    // `load` is a new closure every render; `key` names what it loads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const setData = useCallback(
    (update: (current: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: update(s.data) })),
    [],
  );
  const stale = state.key !== key;
  return {
    data: stale ? undefined : state.data,
    error: stale ? null : state.error,
    loading: stale || state.loading,
    reload,
    setData,
  };
}

/** An action with a pending flag and its error in words. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (...args: A): Promise<boolean> => {
      setPending(true);
      setError(null);
      try {
        await action(...args);
        return true;
      } catch (caught) {
        setError(errorMessage(caught));
        return false;
      } finally {
        setPending(false);
      }
    },
    [action],
  );
  return { run, pending, error, setError };
}

export interface Paged<T> {
  items: T[];
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  loadMore: () => Promise<void>;
  reload: () => void;
  update: (change: (items: T[]) => T[]) => void;
}

interface PagedState<T> {
  key: string;
  items: T[];
  cursor: string | null;
  loading: boolean;
  error: string | null;
}

/** A cursor-paginated list: the first page when `key` changes, more on request. */
export function usePaged<T>(load: (cursor: string | null) => Promise<{ items: T[]; next_cursor: string | null }>, key: string): Paged<T> {
  const [state, setState] = useState<PagedState<T>>({ key: "", items: [], cursor: null, loading: true, error: null });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    load(null).then(
      (page) => live && setState({ key, items: page.items, cursor: page.next_cursor, loading: false, error: null }),
      (error: unknown) => live && setState({ key, items: [], cursor: null, loading: false, error: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation]);

  const loadMore = async () => {
    if (!state.cursor) return;
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await load(state.cursor);
      setState((s) =>
        s.key === key ? { ...s, items: [...s.items, ...page.items], cursor: page.next_cursor, loading: false, error: null } : s,
      );
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error: errorMessage(error) }));
    }
  };
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const update = useCallback((change: (items: T[]) => T[]) => setState((s) => ({ ...s, items: change(s.items) })), []);
  const stale = state.key !== key;
  return {
    items: stale ? [] : state.items,
    hasMore: !stale && state.cursor !== null,
    loading: stale || state.loading,
    error: stale ? null : state.error,
    loadMore,
    reload,
    update,
  };
}

/** `value`, once it has stopped changing for `ms` (typing in a filter box). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
