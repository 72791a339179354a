// Toasts: what just happened ("Completed “X”" with Undo) or what failed, announced politely.
// A tiny store outside React so mutations (which are not components) can raise them.
import { useSyncExternalStore } from "react";

export interface ToastAction {
  label: string;
  /** What a screen reader user is told the action does (Radix Toast's altText). */
  altText: string;
  run: () => void;
}

export interface Toast {
  id: number;
  title: string;
  description?: string;
  tone: "info" | "error";
  action?: ToastAction;
  /** ms on screen; undo toasts stay as long as undo is possible. */
  duration: number;
}

type Listener = () => void;
let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<Listener>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function toast(input: Omit<Toast, "id" | "tone" | "duration"> & Partial<Pick<Toast, "tone" | "duration">>): number {
  const id = nextId++;
  toasts = [...toasts.slice(-3), { tone: "info", duration: 5000, ...input, id }];
  emit();
  return id;
}

export function toastError(title: string, description?: string, action?: ToastAction): number {
  return toast({ title, description, action, tone: "error", duration: 8000 });
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const none: readonly Toast[] = [];

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, () => toasts, () => none);
}
