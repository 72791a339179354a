// Dates in the user's time zone (their profile's): shown with relative words ("tomorrow 17:00",
// "3 days overdue"), entered as wall-clock times there. The API stores UTC instants.
import { TZDate, tz } from "@date-fns/tz";
import { differenceInCalendarDays } from "date-fns";
import { useEffect, useState } from "react";

export const DUE_SOON_MS = 24 * 3600 * 1000;

/** The locale dates are written in: the browser's, unless set (tests pin one). */
let locale: string | undefined;

export function setDateLocale(value: string | undefined): void {
  locale = value;
}
const HOUR = 3600 * 1000;

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Every IANA zone the browser knows (the profile's choices). */
export function timeZones(): string[] {
  return typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [browserTimeZone()];
}

/** A wall-clock time in `timeZone` → the UTC instant (ISO). DST-safe. */
export function wallClockToUtc(
  parts: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): string {
  return new Date(new TZDate(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, timeZone).getTime()).toISOString();
}

/** "2026-12-01T17:00" in `timeZone` → "2026-12-01T16:00:00.000Z" (null for ""). */
export function localInputToUtc(value: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  return wallClockToUtc({ year, month, day, hour, minute }, timeZone);
}

/** "2026-12-01T16:00:00.000Z" → "2026-12-01T17:00" in `timeZone` ("" for null). */
export function utcToLocalInput(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  const d = new TZDate(Date.parse(iso), timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

export function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

function time(instant: number, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit" }).format(new Date(instant));
}

/** Calendar days from `now` to `instant`, in `timeZone` (0 today, 1 tomorrow, -1 yesterday). */
export function calendarDays(instant: number, now: number, timeZone: string): number {
  return differenceInCalendarDays(new Date(instant), new Date(now), { in: tz(timeZone) });
}

/** "today 17:00", "tomorrow 09:00", "yesterday 17:00", "Fri 14:00", "12 Mar 17:00", "12 Mar 2027". */
export function relativeDateTime(iso: string, timeZone: string, now = Date.now()): string {
  const instant = Date.parse(iso);
  const days = calendarDays(instant, now, timeZone);
  const at = time(instant, timeZone);
  if (days === 0) return `today ${at}`;
  if (days === 1) return `tomorrow ${at}`;
  if (days === -1) return `yesterday ${at}`;
  if (days > 1 && days < 7) {
    return `${new Intl.DateTimeFormat(locale, { timeZone, weekday: "short" }).format(new Date(instant))} ${at}`;
  }
  const sameYear = new TZDate(instant, timeZone).getFullYear() === new TZDate(now, timeZone).getFullYear();
  const date = new Intl.DateTimeFormat(locale, { timeZone, day: "numeric", month: "short", ...(sameYear ? {} : { year: "numeric" }) }).format(
    new Date(instant),
  );
  return sameYear ? `${date} ${at}` : date;
}

export type DueState = "overdue" | "soon" | "later" | "none";

export function dueState(dueAt: string | null | undefined, done: boolean, now = Date.now()): DueState {
  if (!dueAt || done) return "none";
  const due = Date.parse(dueAt);
  if (due < now) return "overdue";
  if (due - now <= DUE_SOON_MS) return "soon";
  return "later";
}

/** What a task's due date says in a list: "3 days overdue", "2 hours overdue", or when. */
export function dueText(dueAt: string, done: boolean, timeZone: string, now = Date.now()): string {
  const due = Date.parse(dueAt);
  if (done || due >= now) return relativeDateTime(dueAt, timeZone, now);
  const days = -calendarDays(due, now, timeZone);
  if (days >= 1) return `${days} ${days === 1 ? "day" : "days"} overdue`;
  const hours = Math.max(1, Math.floor((now - due) / HOUR));
  return `${hours} ${hours === 1 ? "hour" : "hours"} overdue`;
}

export type DueBucket = "overdue" | "today" | "tomorrow" | "week" | "later" | "none";

export const DUE_BUCKETS: Record<DueBucket, string> = {
  overdue: "Overdue",
  today: "Today",
  tomorrow: "Tomorrow",
  week: "Next 7 days",
  later: "Later",
  none: "No due date",
};

/** The "group by due" group of a task, in the user's calendar. */
export function dueBucket(dueAt: string | null | undefined, done: boolean, timeZone: string, now = Date.now()): DueBucket {
  if (!dueAt) return "none";
  const due = Date.parse(dueAt);
  if (!done && due < now) return "overdue";
  const days = calendarDays(due, now, timeZone);
  if (days <= 0) return "today";
  if (days === 1) return "tomorrow";
  if (days < 7) return "week";
  return "later";
}

/** "Today", "Yesterday", "Monday 4 May" (notifications grouped by day). */
export function dayHeading(iso: string, timeZone: string, now = Date.now()): string {
  const days = calendarDays(Date.parse(iso), now, timeZone);
  if (days === 0) return "Today";
  if (days === -1) return "Yesterday";
  return new Intl.DateTimeFormat(locale, { timeZone, weekday: "long", day: "numeric", month: "long" }).format(new Date(iso));
}

/** The calendar day key ("2026-05-04") of an instant in `timeZone`. */
export function dayKey(iso: string, timeZone: string): string {
  return utcToLocalInput(iso, timeZone).slice(0, 10);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** "Now" for rendering relative dates and due groups, moving on every minute. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

// --- The calendar's month, in the user's time zone --------------------------------------

export interface CalendarDay {
  /** "2026-12-07" */
  key: string;
  day: number;
  inMonth: boolean;
  weekend: boolean;
}

function parseMonth(month: string): [number, number] {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return [y, m];
}

/** "2026-12": the month `now` falls in, in `timeZone`. */
export function monthOf(now: number, timeZone: string): string {
  return utcToLocalInput(new Date(now).toISOString(), timeZone).slice(0, 7);
}

export function shiftMonth(month: string, by: number): string {
  const [y, m] = parseMonth(month);
  const index = y * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function monthTitle(month: string): string {
  const [y, m] = parseMonth(month);
  return new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 15)));
}

/** The weeks (Monday first) that show `month`, and the instants they span in `timeZone`. */
export function monthGrid(month: string, timeZone: string): { weeks: CalendarDay[][]; from: string; to: string } {
  const [y, m] = parseMonth(month);
  const first = new TZDate(y, m - 1, 1, 0, 0, timeZone);
  const lead = (first.getDay() + 6) % 7; // days before the 1st, from Monday
  const inMonth = new TZDate(y, m, 0, 0, 0, timeZone).getDate();
  const count = Math.ceil((lead + inMonth) / 7) * 7;
  const days: CalendarDay[] = [];
  for (let i = 0; i < count; i++) {
    const d = new TZDate(y, m - 1, 1 - lead + i, 0, 0, timeZone);
    const key = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    days.push({ key, day: d.getDate(), inMonth: d.getMonth() === m - 1, weekend: d.getDay() === 0 || d.getDay() === 6 });
  }
  const weeks = Array.from({ length: count / 7 }, (_, w) => days.slice(w * 7, w * 7 + 7));
  const from = new Date(new TZDate(y, m - 1, 1 - lead, 0, 0, timeZone).getTime()).toISOString();
  const to = new Date(new TZDate(y, m - 1, 1 - lead + count, 0, 0, timeZone).getTime()).toISOString();
  return { weeks, from, to };
}

/** The same wall-clock time on another day ("2026-12-09"), in `timeZone`. */
export function moveToDay(dueAt: string, day: string, timeZone: string): string {
  const time = utcToLocalInput(dueAt, timeZone).slice(11);
  return localInputToUtc(`${day}T${time}`, timeZone) ?? dueAt;
}

/** "2026-12-09" shifted by `by` days. */
export function shiftDay(day: string, by: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + by)).toISOString().slice(0, 10);
}

export function dayTitle(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** Monday … Sunday, short, in the user's language. */
export function weekdayNames(): string[] {
  return Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1 + i))));
}
