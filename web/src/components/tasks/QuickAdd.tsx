"use client";
// Quick add: type one line, see what it means (date in your time zone, labels, priority,
// assignee) before saving, Enter adds it — optimistically — and the focus stays for the next.
import { CalendarClock, Plus, Repeat, X } from "lucide-react";
import { forwardRef, useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Avatar } from "@/components/ui/Avatar";
import { cx } from "@/components/ui/cx";
import type { Member, Status, TaskCreate } from "@/lib/api/types";
import { formatDateTime, relativeDateTime } from "@/lib/dates";
import { memberPerson } from "@/lib/people";
import { loadChrono, parseQuickAdd, type Chrono } from "@/lib/quickadd";
import { useTaskActions } from "@/lib/tasks/provider";
import { PRIORITY_LABELS, PriorityIcon } from "./TaskMeta";

interface Props {
  projectId: string;
  timeZone: string;
  members: readonly Member[] | null;
  status?: Status;
  label?: string;
  placeholder?: string;
  onEscape?: () => void;
  autoFocus?: boolean;
  compact?: boolean;
}

let chronoModule: Chrono | null = null;

export const QuickAdd = forwardRef<HTMLInputElement, Props>(function QuickAdd(
  { projectId, timeZone, members, status, label = "New task", placeholder = "Add a task… e.g. Call Ada tomorrow 5pm #sales !high", onEscape, autoFocus, compact },
  ref,
) {
  const id = useId();
  const actions = useTaskActions();
  const [text, setText] = useState("");
  const [chrono, setChrono] = useState<Chrono | null>(chronoModule);
  const [ignoreDate, setIgnoreDate] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const localRef = useRef<HTMLInputElement | null>(null);

  const ensureChrono = async (): Promise<Chrono> => {
    chronoModule ??= await loadChrono();
    setChrono(chronoModule);
    return chronoModule;
  };
  useEffect(() => {
    if (!autoFocus) return;
    void loadChrono().then((module) => {
      chronoModule = module;
      setChrono(module);
    });
  }, [autoFocus]);

  const parsed = useMemo(
    () => parseQuickAdd(text, { timeZone, members, chrono, ignoreDate }),
    [text, timeZone, members, chrono, ignoreDate],
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    const result = parseQuickAdd(text, { timeZone, members, chrono: await ensureChrono(), ignoreDate });
    if (!result.title) {
      setProblem("Add a title: the rest of the line only set the details.");
      return;
    }
    const input: TaskCreate = { title: result.title, labels: result.labels, due_at: result.due_at };
    if (status) input.status = status;
    if (result.priority) input.priority = result.priority;
    if (result.assignee) input.assignee_id = result.assignee.user_id;
    if (result.recurrence && result.due_at) {
      input.recurrence = result.recurrence;
      input.time_zone = timeZone as TaskCreate["time_zone"];
    }
    const typed = text;
    setText("");
    setIgnoreDate(false);
    setProblem(null);
    setAnnouncement(`Added “${result.title}”.`);
    void actions.create(projectId, input, () => {
      // Failed: give the line back if the field is still empty (nothing typed is lost).
      const field = localRef.current;
      if (field && !field.value) setText(typed);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Escape") {
      if (text) setText("");
      else onEscape?.();
      (event.target as HTMLInputElement).blur();
    }
  };

  const hasDetails = parsed.due_at || parsed.labels.length || parsed.priority || parsed.assignee || parsed.recurrence;
  return (
    <form onSubmit={submit} className={cx("rounded-lg border border-line bg-raised focus-within:border-accent", compact ? "p-1.5" : "p-2")}>
      <div className="flex items-center gap-2">
        <Plus className="size-4 shrink-0 text-muted" aria-hidden="true" />
        <label htmlFor={id} className="sr-only">
          {label}
        </label>
        <input
          ref={(node) => {
            localRef.current = node;
            if (typeof ref === "function") ref(node);
            else if (ref) ref.current = node;
          }}
          id={id}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (!e.target.value) setIgnoreDate(false);
            setProblem(null);
          }}
          onFocus={() => void ensureChrono()}
          onKeyDown={onKeyDown}
          placeholder={placeholder}
          autoComplete="off"
          autoFocus={autoFocus}
          aria-describedby={`${id}-preview`}
          maxLength={400}
          className="h-7 min-w-0 flex-1 border-0 bg-transparent p-0 focus:outline-none focus-visible:outline-none"
          data-quick-add
        />
      </div>
      <div id={`${id}-preview`} className={cx("flex flex-wrap items-center gap-1.5 text-xs", hasDetails || problem ? "mt-1.5 pl-6" : "sr-only")}>
        {parsed.due_at ? (
          <span className="inline-flex items-center gap-1 rounded bg-accent-soft px-1.5 py-0.5 text-accent" title={`${formatDateTime(parsed.due_at, timeZone)} (${timeZone})`}>
            <CalendarClock className="size-3.5" aria-hidden="true" />
            Due {relativeDateTime(parsed.due_at, timeZone)}
            <button type="button" onClick={() => setIgnoreDate(true)} aria-label={`“${parsed.dateText}” is not a date`} className="rounded hover:bg-selected">
              <X className="size-3" aria-hidden="true" />
            </button>
          </span>
        ) : null}
        {parsed.recurrence ? (
          <span className="inline-flex items-center gap-1 rounded bg-accent-soft px-1.5 py-0.5 text-accent" data-testid="quick-add-repeat">
            <Repeat className="size-3.5" aria-hidden="true" />
            Repeats {parsed.repeatText}
          </span>
        ) : null}
        {parsed.labels.map((l) => (
          <span key={l} className="rounded bg-subtle px-1.5 py-0.5 text-muted">
            #{l}
          </span>
        ))}
        {parsed.priority ? (
          <span className="inline-flex items-center gap-1 rounded bg-subtle px-1.5 py-0.5 text-muted">
            <PriorityIcon priority={parsed.priority} className="size-3.5" always />
            {PRIORITY_LABELS[parsed.priority]}
          </span>
        ) : null}
        {parsed.assignee ? (
          <span className="inline-flex items-center gap-1 rounded bg-subtle py-0.5 pl-0.5 pr-1.5 text-muted">
            <Avatar person={memberPerson(parsed.assignee)} size="sm" labelled={false} />
            {parsed.assignee.display_name || parsed.assignee.email}
          </span>
        ) : null}
        {problem ? (
          <span role="alert" className="text-danger">
            {problem}
          </span>
        ) : null}
      </div>
      <span className="sr-only" role="status">
        {announcement}
      </span>
    </form>
  );
});
