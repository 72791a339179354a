"use client";
// Light, dark, or the system's: kept in a cookie so the server renders <html data-theme> and
// the first paint is already right (no flash, no inline script).
import { useCallback, useState } from "react";

import { parseTheme, THEME_COOKIE, type ThemeChoice } from "./theme-choice";

export type { ThemeChoice };

export function applyTheme(choice: ThemeChoice): void {
  document.cookie = `${THEME_COOKIE}=${choice}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`;
  if (choice === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  // Only rendered in the browser (signed-in pages render after the session is read).
  const [choice, setChoice] = useState<ThemeChoice>(() => (typeof document === "undefined" ? "system" : parseTheme(document.documentElement.dataset.theme)));
  const set = useCallback((next: ThemeChoice) => {
    applyTheme(next);
    setChoice(next);
  }, []);
  return [choice, set];
}

/** The theme on screen now (the system's when the choice is "system"). */
export function effectiveDark(): boolean {
  const chosen = document.documentElement.dataset.theme;
  if (chosen) return chosen === "dark";
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}
