"use client";
// "Repeats": the rules people use, in plain words, built from the task's due date (its weekday
// and day of the month in the user's zone), with the API's own description and the next three
// dates shown before saving. Completing a repeating task creates the next one (the API does it
// in the same write).
import { TZDate } from "@date-fns/tz";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import type { Task, TaskPatch, TimeZone } from "@/lib/api/types";
import { formatDateTime } from "@/lib/dates";
import { useApi, useFeature } from "@/lib/session";
import { Property } from "./fields";

export const PREVIEW_PATH = "/recurrence/preview";
const DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th";
  return `${n}${suffix}`;
}

/** The choices for a task due at `dueAt` (in `timeZone`): [rule, words]. */
export function repeatChoices(dueAt: string, timeZone: string): [string, string][] {
  const due = new TZDate(Date.parse(dueAt), timeZone);
  const day = DAYS[due.getDay()] ?? "MO";
  const name = DAY_NAMES[due.getDay()] ?? "Monday";
  return [
    ["FREQ=DAILY", "Every day"],
    ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday"],
    [`FREQ=WEEKLY;BYDAY=${day}`, `Every week on ${name}`],
    [`FREQ=WEEKLY;INTERVAL=2;BYDAY=${day}`, `Every 2 weeks on ${name}`],
    [`FREQ=MONTHLY;BYMONTHDAY=${due.getDate()}`, `Monthly on the ${ordinal(due.getDate())}`],
    [`FREQ=MONTHLY;BYDAY=-1${day}`, `Monthly on the last ${name}`],
    ["FREQ=YEARLY", "Every year"],
  ];
}

interface Props {
  task: Task;
  timeZone: string;
  disabled: boolean;
  onCommit: (patch: TaskPatch) => void;
}

export function RepeatField({ task, timeZone, disabled, onCommit }: Props) {
  const api = useApi();
  const id = useId();
  const available = useFeature(PREVIEW_PATH);
  const rule = task.recurrence?.rule ?? "";
  const zone = task.recurrence?.time_zone ?? timeZone;
  const preview = useQuery({
    queryKey: ["recurrence-preview", rule, task.due_at, zone],
    queryFn: () => api.previewRecurrence(rule, task.due_at ?? "", zone),
    enabled: available === true && Boolean(rule && task.due_at),
  });
  if (available === false) return null;
  const choices = task.due_at ? repeatChoices(task.due_at, zone) : [];
  const known = choices.some(([value]) => value === rule);
  return (
    <Property label="Repeats" htmlFor={`${id}-repeat`}>
      <select
        id={`${id}-repeat`}
        value={rule}
        disabled={disabled || !task.due_at}
        title={task.due_at ? undefined : "Set a due date first: a series counts from it"}
        onChange={(e) => onCommit(e.target.value ? { recurrence: e.target.value, time_zone: zone as TimeZone } : { recurrence: null })}
        className="h-8 max-w-full py-0"
      >
        <option value="">Doesn’t repeat</option>
        {choices.map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
        {rule && !known ? <option value={rule}>{preview.data?.description ?? rule}</option> : null}
      </select>
      {!task.due_at ? <p className="pt-1 text-xs text-muted">Set a due date to repeat it.</p> : null}
      {rule && preview.data ? (
        <p className="pt-1 text-xs text-muted" data-testid="repeat-preview">
          {preview.data.description}. Next: {preview.data.next.map((at) => formatDateTime(at, zone)).join(" · ")}
        </p>
      ) : null}
    </Property>
  );
}
