// Dates in the user's time zone (their profile's, else the browser's). The API stores UTC;
// a <input type="datetime-local"> holds a wall-clock time with no zone.

export const DUE_SOON_MS = 24 * 3600 * 1000;

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function wallClockParts(instant: number, timeZone: string): Record<string, number> {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return parts;
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms. */
export function zoneOffset(instant: number, timeZone: string): number {
  const p = wallClockParts(instant, timeZone);
  const asUtc = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return asUtc - (instant - (instant % 1000));
}

/** "2026-12-01T17:00" in `timeZone` → "2026-12-01T16:00:00.000Z" (null for ""). */
export function localInputToUtc(value: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let instant = wall - zoneOffset(wall, timeZone);
  instant = wall - zoneOffset(instant, timeZone); // across a DST change, use the offset then
  return new Date(instant).toISOString();
}

/** "2026-12-01T16:00:00.000Z" → "2026-12-01T17:00" in `timeZone` ("" for null). */
export function utcToLocalInput(iso: string | null, timeZone: string): string {
  if (!iso) return "";
  const p = wallClockParts(Date.parse(iso), timeZone);
  const two = (n: number | undefined) => String(n ?? 0).padStart(2, "0");
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

export function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}

export type DueState = "overdue" | "soon" | "later" | "none";

export function dueState(dueAt: string | null, done: boolean, now = Date.now()): DueState {
  if (!dueAt || done) return "none";
  const due = Date.parse(dueAt);
  if (due < now) return "overdue";
  if (due - now <= DUE_SOON_MS) return "soon";
  return "later";
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
