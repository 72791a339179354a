"use client";
// Single-key shortcuts (`?`, `/`, `n`, `j`/`k`, `x`, `e` …) never fire while typing in a field
// or with a dialog open; Ctrl/⌘+K works everywhere.
import { useEffect, useRef } from "react";

export interface ShortcutOptions {
  /** Also while a text field has the focus (Ctrl/⌘ combinations). */
  inFields?: boolean;
  enabled?: boolean;
}

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !["checkbox", "radio", "button", "submit", "reset", "range", "color"].includes(target.type);
  return false;
}

function dialogOpen(): boolean {
  return document.querySelector('[role="dialog"][data-state="open"], [role="alertdialog"][data-state="open"]') !== null;
}

/** "mod+k" (Ctrl or ⌘), "?", "j" … */
export function matchesShortcut(event: KeyboardEvent, shortcut: string): boolean {
  const mod = shortcut.startsWith("mod+");
  const key = mod ? shortcut.slice(4) : shortcut;
  if (mod !== (event.ctrlKey || event.metaKey)) return false;
  if (!mod && event.altKey) return false;
  return event.key.toLowerCase() === key.toLowerCase() || event.key === key;
}

export function useShortcut(shortcuts: string | string[], handler: (event: KeyboardEvent) => void, options: ShortcutOptions = {}): void {
  const { inFields = false, enabled = true } = options;
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  const list = Array.isArray(shortcuts) ? shortcuts : [shortcuts];
  const signature = list.join(" ");
  useEffect(() => {
    if (!enabled) return;
    const keys = signature.split(" ");
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (!keys.some((k) => matchesShortcut(event, k))) return;
      const modified = keys.some((k) => k.startsWith("mod+"));
      if (!inFields && !modified && (isTyping(event.target) || dialogOpen())) return;
      event.preventDefault();
      latest.current(event);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [signature, inFields, enabled]);
}
