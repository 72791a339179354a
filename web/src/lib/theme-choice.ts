// The theme cookie, read by the server's root layout and written by the toggle (lib/theme.ts).
export type ThemeChoice = "light" | "dark" | "system";
export const THEME_COOKIE = "tl-theme";

export function parseTheme(value: string | undefined | null): ThemeChoice {
  return value === "light" || value === "dark" ? value : "system";
}
