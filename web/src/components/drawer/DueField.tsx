"use client";
// The due date in the user's time zone: type it in words ("tomorrow 5pm", "next fri") or pick
// the exact day and time; "Clear" removes it.
import { useId, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/Button";
import { formatDateTime, localInputToUtc, relativeDateTime, utcToLocalInput } from "@/lib/dates";
import { loadChrono, parseQuickAdd } from "@/lib/quickadd";
import { Property } from "./fields";

export function DueField({ dueAt, timeZone, onCommit, disabled }: { dueAt: string | null; timeZone: string; onCommit: (dueAt: string | null) => void; disabled: boolean }) {
  const id = useId();
  const [exact, setExact] = useState(utcToLocalInput(dueAt, timeZone));
  const [shown, setShown] = useState(`${dueAt}|${timeZone}`);
  if (shown !== `${dueAt}|${timeZone}`) {
    // Saved, or changed by someone else: the picker follows.
    setShown(`${dueAt}|${timeZone}`);
    setExact(utcToLocalInput(dueAt, timeZone));
  }
  const [words, setWords] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  const commitExact = () => {
    const next = exact ? localInputToUtc(exact, timeZone) : null;
    if (exact && !next) return;
    if ((next ? Date.parse(next) : null) !== (dueAt ? Date.parse(dueAt) : null)) onCommit(next);
  };
  const commitWords = async () => {
    if (!words.trim()) return;
    const parsed = parseQuickAdd(words, { timeZone, chrono: await loadChrono() });
    if (!parsed.due_at) {
      setProblem(`“${words}” is not a date I understand: try “tomorrow 5pm” or “next fri 9:00”.`);
      return;
    }
    setProblem(null);
    setWords("");
    onCommit(parsed.due_at);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      void commitWords();
    }
  };
  return (
    <Property label="Due" htmlFor={`${id}-exact`}>
      <div className="space-y-1.5">
        <div className="flex flex-wrap items-center gap-2">
          <input
            id={`${id}-exact`}
            type="datetime-local"
            value={exact}
            onChange={(e) => setExact(e.target.value)}
            onBlur={commitExact}
            disabled={disabled}
            className="h-8 py-0"
            aria-describedby={`${id}-zone`}
          />
          {dueAt && !disabled ? (
            <Button size="sm" variant="ghost" onClick={() => onCommit(null)}>
              Clear
            </Button>
          ) : null}
        </div>
        <p id={`${id}-zone`} className="text-xs text-muted">
          {dueAt ? (
            <span title={formatDateTime(dueAt, timeZone)}>Due {relativeDateTime(dueAt, timeZone)} · </span>
          ) : null}
          {timeZone}
        </p>
        {disabled ? null : (
          <>
            <label htmlFor={`${id}-words`} className="sr-only">
              Due date in words
            </label>
            <input
              id={`${id}-words`}
              value={words}
              onChange={(e) => {
                setWords(e.target.value);
                setProblem(null);
              }}
              onFocus={() => void loadChrono()}
              onKeyDown={onKeyDown}
              placeholder="or type: tomorrow 5pm, next fri…"
              className="h-8 w-full"
            />
            {problem ? (
              <p role="alert" className="text-xs text-danger">
                {problem}
              </p>
            ) : null}
          </>
        )}
      </div>
    </Property>
  );
}
