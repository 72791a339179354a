// Quick add: one line → a task. "Call Ada tomorrow 5pm #sales !high @ada" is the title "Call
// Ada", due tomorrow 17:00 in the user's time zone, label "sales", priority high, assigned to
// the member Ada. Dates are read by chrono-node (loaded on first use: it is the largest piece
// of the quick-add), in the user's zone, so "5pm" is 17:00 where they are, DST included.
import { tzOffset } from "@date-fns/tz";
import type { Member, Priority } from "@/lib/api/types";
import { wallClockToUtc } from "./dates";
import { normaliseLabel } from "./tasks/ordering";

export type Chrono = typeof import("chrono-node/en");

export function loadChrono(): Promise<Chrono> {
  return import("chrono-node/en");
}

/** A day without a time: due at the end of the working day (or of the day, if that passed). */
export const DEFAULT_HOUR = 17;

export interface QuickAdd {
  title: string;
  due_at: string | null;
  /** The words that gave the date ("tomorrow 5pm"), to show and to undo. */
  dateText: string | null;
  labels: string[];
  priority: Priority | null;
  assignee: Member | null;
  /** "every monday" → an RRULE the API repeats the task by (it needs a due date: the first
   * occurrence, unless the line names one). */
  recurrence: string | null;
  /** The words that gave it ("every monday"). */
  repeatText: string | null;
}

export interface QuickAddContext {
  timeZone: string;
  now?: number;
  members?: readonly Member[] | null;
  chrono?: Chrono | null;
  /** The user said "that is not a date": keep those words in the title. */
  ignoreDate?: boolean;
}

const PRIORITY_WORDS: Record<string, Priority> = {
  urgent: "urgent", p1: "urgent", "1": "urgent",
  high: "high", p2: "high", "2": "high",
  medium: "medium", med: "medium", p3: "medium", "3": "medium",
  low: "low", p4: "low", "4": "low",
};

const LABEL = /(^|\s)#([\p{L}\p{N}_-]+)/gu;
const WEEKDAYS: Record<string, string> = {
  monday: "MO", tuesday: "TU", wednesday: "WE", thursday: "TH", friday: "FR", saturday: "SA", sunday: "SU",
  mon: "MO", tue: "TU", wed: "WE", thu: "TH", fri: "FR", sat: "SA", sun: "SU",
};
const PERIODS: Record<string, string> = {
  day: "FREQ=DAILY",
  weekday: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
  week: "FREQ=WEEKLY",
  month: "FREQ=MONTHLY",
  year: "FREQ=YEARLY",
};
const REPEAT = /(^|\s)(every\s+(day|weekday|week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun))\b/iu;

/** "every monday" → ["FREQ=WEEKLY;BYDAY=MO", the weekday's name for the first date]. */
export function repeatRule(word: string): { rule: string; firstDay: string | null } {
  const key = word.toLowerCase();
  const day = WEEKDAYS[key];
  if (day) return { rule: `FREQ=WEEKLY;BYDAY=${day}`, firstDay: key };
  return { rule: PERIODS[key] ?? "FREQ=WEEKLY", firstDay: null };
}
const PRIORITY = /(^|\s)!(\w+)/gu;
const MENTION = /(^|\s)@([\p{L}\p{N}._-]+)/gu;

/** The member an "@name" means: a display name (or its first word) or an e-mail's local
 * part that starts with it; only when exactly one member fits. */
export function findMember(name: string, members: readonly Member[]): Member | null {
  const wanted = name.toLowerCase();
  const squash = (s: string) => s.toLowerCase().replace(/\s+/g, "");
  const fits = members.filter(
    (m) =>
      squash(m.display_name).startsWith(wanted) ||
      m.display_name.toLowerCase().split(/\s+/).some((word) => word.startsWith(wanted)) ||
      m.email.toLowerCase().split("@")[0]?.startsWith(wanted),
  );
  const exact = fits.filter((m) => squash(m.display_name) === wanted || m.display_name.toLowerCase().split(/\s+/)[0] === wanted);
  if (exact.length === 1) return exact[0] ?? null;
  return fits.length === 1 ? (fits[0] ?? null) : null;
}

function tidy(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function parseQuickAdd(input: string, context: QuickAddContext): QuickAdd {
  const { timeZone, now = Date.now(), members = null, chrono = null, ignoreDate = false } = context;
  const labels: string[] = [];
  let priority: Priority | null = null;
  let assignee: Member | null = null;

  let text = input.replace(LABEL, (_all, space: string, label: string) => {
    const normal = normaliseLabel(label);
    if (normal && !labels.includes(normal)) labels.push(normal);
    return space;
  });
  text = text.replace(PRIORITY, (all, space: string, word: string) => {
    const found = PRIORITY_WORDS[word.toLowerCase()];
    if (!found) return all;
    priority = found;
    return space;
  });
  if (members?.length) {
    text = text.replace(MENTION, (all, space: string, name: string) => {
      const member = assignee ? null : findMember(name, members);
      if (!member) return all;
      assignee = member;
      return space;
    });
  }

  let recurrence: string | null = null;
  let repeatText: string | null = null;
  let firstDay: string | null = null;
  text = text.replace(REPEAT, (_all, space: string, words: string, word: string) => {
    ({ rule: recurrence, firstDay } = repeatRule(word));
    repeatText = words;
    return space;
  });

  let dueAt: string | null = null;
  let dateText: string | null = null;
  if (chrono && !ignoreDate) {
    const reference = { instant: new Date(now), timezone: tzOffset(timeZone, new Date(now)) };
    const found = chrono.parse(text, reference, { forwardDate: true })[0];
    if (found) {
      const start = found.start;
      const timed = start.isCertain("hour");
      const parts = {
        year: start.get("year") ?? 1970,
        month: start.get("month") ?? 1,
        day: start.get("day") ?? 1,
        hour: timed ? (start.get("hour") ?? 0) : DEFAULT_HOUR,
        minute: timed ? (start.get("minute") ?? 0) : 0,
      };
      dueAt = wallClockToUtc(parts, timeZone);
      if (!timed && Date.parse(dueAt) <= now) dueAt = wallClockToUtc({ ...parts, hour: 23, minute: 59 }, timeZone);
      dateText = found.text;
      text = text.slice(0, found.index) + text.slice(found.index + found.text.length);
    }
  }
  if (recurrence && dueAt === null && chrono) {
    // A series needs its first date: the next such weekday, else today (tomorrow once the
    // working day is over), at the default hour.
    const reference = { instant: new Date(now), timezone: tzOffset(timeZone, new Date(now)) };
    const first = chrono.parse(firstDay ?? "today", reference, { forwardDate: true })[0]?.start;
    if (first) {
      const parts = { year: first.get("year") ?? 1970, month: first.get("month") ?? 1, day: first.get("day") ?? 1, hour: DEFAULT_HOUR, minute: 0 };
      dueAt = wallClockToUtc(parts, timeZone);
      if (Date.parse(dueAt) <= now) dueAt = wallClockToUtc({ ...parts, day: parts.day + 1 }, timeZone);
    }
  }
  return { title: tidy(text), due_at: dueAt, dateText, labels, priority, assignee, recurrence, repeatText };
}
