"use client";
// The selected task of a list or board: one item in the Tab order (roving focus), j/k and
// the arrow keys move it, the focus follows and never gets lost when tasks come and go.
import { useCallback, useEffect, useRef, useState } from "react";

export function focusTask(id: string): void {
  // The visible one (a calendar renders a month and, hidden on a desktop, an agenda).
  const rows = [...document.querySelectorAll<HTMLElement>(`[data-task-id="${CSS.escape(id)}"]`)];
  const row = rows.find((r) => r.offsetParent !== null) ?? rows[0];
  const target = row?.querySelector<HTMLElement>("[data-task-link]") ?? row;
  target?.focus();
  row?.scrollIntoView({ block: "nearest" });
}

export interface Selection {
  selected: string | null;
  select: (id: string) => void;
  /** Move by `delta` in display order and focus it. */
  step: (delta: number) => void;
}

export function useSelection(ids: readonly string[]): Selection {
  const [selected, setSelected] = useState<string | null>(null);
  const [lastIndex, setLastIndex] = useState(0);
  const index = selected ? ids.indexOf(selected) : -1;
  if (index >= 0 && index !== lastIndex) setLastIndex(index);
  // The selected task left (deleted, moved away): its neighbour takes its place.
  const current = index >= 0 ? selected : (ids[Math.min(lastIndex, ids.length - 1)] ?? null);

  const focused = useRef<string | null>(null);
  useEffect(() => {
    const onFocus = (event: FocusEvent) => {
      const row = (event.target as HTMLElement | null)?.closest?.("[data-task-id]");
      focused.current = row ? row.getAttribute("data-task-id") : null;
    };
    document.addEventListener("focusin", onFocus);
    return () => document.removeEventListener("focusin", onFocus);
  }, []);
  useEffect(() => {
    // The focused row was re-rendered elsewhere (completed into another group) or went away
    // (deleted): the focus follows it, or goes to the row that took its place.
    const was = focused.current;
    if (!was || document.activeElement !== document.body) return;
    const next = ids.includes(was) ? was : current;
    if (next) focusTask(next);
  }, [ids, current]);

  const step = useCallback(
    (delta: number) => {
      if (ids.length === 0) return;
      const at = current ? ids.indexOf(current) : -1;
      const next = ids[Math.max(0, Math.min(ids.length - 1, at + delta))];
      if (next) {
        setSelected(next);
        focusTask(next);
      }
    },
    [ids, current],
  );
  return { selected: current, select: setSelected, step };
}
