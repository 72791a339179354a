// Deletes held back while their toast offers Undo (a comment, a checklist item, a file: the
// API keeps no trash for them). The item leaves the screen at once — panels hide what is
// held — and the DELETE goes only when the toast closes (timed out, dismissed, pushed out by
// newer toasts) or, with `keepalive`, when the page goes away, so nothing is lost and Undo
// needs no request at all. A refused DELETE brings the item back and says why.
import { useSyncExternalStore } from "react";
import { errorMessage, isApiError } from "@/lib/api/errors";
import { UNDO_MS } from "@/lib/tasks/actions";
import { toast, toastError } from "@/lib/toast";

export interface HeldDelete {
  /** Names the item among every held delete, e.g. `comment:<id>` (see `heldKey`). */
  key: string;
  /** The toast's title, e.g. "Deleted the comment". */
  title: string;
  /** The item in words, for the Undo button's description and a failure's toast. */
  what: string;
  /** The DELETE itself; `keepalive` when the page is going away. */
  send: (keepalive: boolean) => Promise<unknown>;
  /** After the server deleted it: drop it from the caches it was hidden in. */
  sent?: () => void;
}

type Kind = "comment" | "checklist" | "attachment";

export function heldKey(kind: Kind, id: string): string {
  return `${kind}:${id}`;
}

interface Entry {
  item: HeldDelete;
  /** The DELETE has gone: too late for Undo, still hidden until it answers. */
  sending: boolean;
}

let held: ReadonlyMap<string, Entry> = new Map();
const listeners = new Set<() => void>();
let watchingPagehide = false;

function update(change: (next: Map<string, Entry>) => void): void {
  const next = new Map(held);
  change(next);
  held = next;
  for (const listener of listeners) listener();
}

function flushAll(): void {
  for (const key of held.keys()) void flush(key, true);
}

/** Hides the item, offers Undo for `UNDO_MS`, and deletes it when the toast goes. */
export function holdDelete(item: HeldDelete): void {
  if (held.has(item.key)) return;
  if (!watchingPagehide && typeof window !== "undefined") {
    // pagehide (not unload) also fires when the page goes into the back/forward cache.
    window.addEventListener("pagehide", flushAll);
    watchingPagehide = true;
  }
  update((next) => next.set(item.key, { item, sending: false }));
  toast({
    title: item.title,
    duration: UNDO_MS,
    action: { label: "Undo", altText: `Undo: keep ${item.what}`, run: () => undo(item.key) },
    onClose: () => void flush(item.key, false),
  });
}

/** Takes a held delete back (nothing was sent); false once its DELETE has gone. */
export function undo(key: string): boolean {
  const entry = held.get(key);
  if (!entry || entry.sending) return false;
  update((next) => next.delete(key));
  return true;
}

/** Sends a held delete now (once, whoever calls first). */
export async function flush(key: string, keepalive: boolean): Promise<void> {
  const entry = held.get(key);
  if (!entry || entry.sending) return;
  update((next) => next.set(key, { ...entry, sending: true }));
  try {
    await entry.item.send(keepalive);
    entry.item.sent?.();
  } catch (error) {
    if (isApiError(error, 404)) entry.item.sent?.(); // gone already: what the user wanted
    else toastError(`Could not delete ${entry.item.what}`, errorMessage(error));
  } finally {
    update((next) => next.delete(key));
  }
}

/** Whether the item is hidden now: its delete waits for Undo or its DELETE is in flight. */
export function isHeld(key: string): boolean {
  return held.has(key);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const nothing: ReadonlyMap<string, Entry> = new Map();

/** Whether an item is held back (hidden from view), re-rendering as that changes. */
export function useHeld(): (key: string) => boolean {
  const current = useSyncExternalStore(subscribe, () => held, () => nothing);
  return (key) => current.has(key);
}
