"use client";
// One task in the list: checkbox, title, labels, due, priority, assignee. Compact, calm, and
// part of a roving focus (one row in the Tab order; j/k or the arrows move between rows).
import Link from "next/link";
import { memo, type KeyboardEvent } from "react";
import { Avatar } from "@/components/ui/Avatar";
import { cx } from "@/components/ui/cx";
import type { Task } from "@/lib/api/types";
import type { Person } from "@/lib/people";
import { isTemporary } from "@/lib/tasks/ordering";
import { progressText } from "@/lib/tasks/progress";
import { DueText, Labels, PriorityIcon } from "./TaskMeta";

interface Props {
  task: Task;
  timeZone: string;
  assignee: Person | null;
  canWrite: boolean;
  selected: boolean;
  href: string;
  onToggle: (task: Task) => void;
  onSelect: (id: string) => void;
  onKeyDown?: (event: KeyboardEvent, task: Task) => void;
  showProject?: string;
}

export const TaskRow = memo(function TaskRow({ task, timeZone, assignee, canWrite, selected, href, onToggle, onSelect, onKeyDown, showProject }: Props) {
  const done = task.status === "done";
  const pending = isTemporary(task.id);
  const progress = progressText(task);
  return (
    <li
      data-testid="task"
      data-task-id={task.id}
      aria-busy={pending || undefined}
      onFocus={() => onSelect(task.id)}
      onKeyDown={onKeyDown ? (event) => onKeyDown(event, task) : undefined}
      className={cx(
        "group flex min-h-10 items-center gap-3 rounded-md px-2 py-1.5",
        "hover:bg-subtle focus-within:bg-selected",
        pending && "opacity-70",
      )}
    >
      <input
        type="checkbox"
        checked={done}
        disabled={!canWrite || pending}
        title={canWrite ? undefined : "Viewers can't change tasks"}
        tabIndex={selected ? 0 : -1}
        onChange={() => onToggle(task)}
        aria-label={done ? `Reopen ${task.title}` : `Complete ${task.title}`}
        className="size-4 shrink-0 cursor-pointer rounded-full disabled:cursor-not-allowed"
      />
      <Link
        href={href}
        scroll={false}
        tabIndex={selected ? 0 : -1}
        data-task-link
        className={cx("min-w-0 flex-1 truncate text-fg no-underline outline-offset-1", done && "text-muted line-through")}
      >
        {task.title}
      </Link>
      {showProject ? <span className="hidden shrink-0 text-xs text-muted sm:inline">{showProject}</span> : null}
      <Labels labels={task.labels} className="hidden max-w-[30%] sm:flex" />
      {progress ? (
        <span className="shrink-0 text-xs tabular-nums text-muted" data-testid="checklist-progress" aria-label={`Checklist ${progress} done`}>
          {progress}
        </span>
      ) : null}
      <DueText task={task} timeZone={timeZone} />
      <PriorityIcon priority={task.priority} />
      {assignee ? <Avatar person={assignee} size="sm" /> : <span className="size-5 shrink-0" aria-hidden="true" />}
    </li>
  );
});
