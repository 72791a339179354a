"use client";
// One task in a list: complete it with one click; overdue and due-soon tasks stand out.
import Link from "next/link";
import { useState } from "react";
import { errorMessage } from "@/lib/api";
import { useApi } from "@/lib/session";
import { PRIORITY_LABELS, STATUS_LABELS } from "@/lib/tasks";
import { dueState, formatDateTime } from "@/lib/time";
import type { Task } from "@/lib/types";
import { ErrorMessage } from "./Status";

interface Props {
  task: Task;
  timeZone: string;
  onChange: (task: Task) => void;
  assigneeName?: string | null;
}

const DUE_WORDS = { overdue: "Overdue", soon: "Due soon", later: "Due", none: "" } as const;

export function DueBadge({ task, timeZone }: { task: Task; timeZone: string }) {
  if (!task.due_at) return null;
  const state = dueState(task.due_at, task.status === "done");
  const words = state === "none" ? "Due" : DUE_WORDS[state];
  return <span className={`badge ${state}`}>{`${words}: ${formatDateTime(task.due_at, timeZone)}`}</span>;
}

export function TaskBadges({ task, timeZone, assigneeName }: Omit<Props, "onChange">) {
  return (
    <div className="badges">
      <span className="badge">{STATUS_LABELS[task.status]}</span>
      <span className={`badge ${task.priority}`}>{`Priority: ${PRIORITY_LABELS[task.priority]}`}</span>
      <DueBadge task={task} timeZone={timeZone} />
      {task.labels.map((label) => (
        <span key={label} className="badge">
          #{label}
        </span>
      ))}
      {assigneeName ? <span className="badge">{`Assigned to ${assigneeName}`}</span> : null}
    </div>
  );
}

export function TaskItem({ task, timeZone, onChange, assigneeName }: Props) {
  const api = useApi();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const done = task.status === "done";
  const toggle = async () => {
    setPending(true);
    setError(null);
    try {
      onChange(await api.updateTask(task.id, task.version, { status: done ? "todo" : "done" }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  };
  return (
    <li className={`task ${done ? "done" : ""}`} data-testid="task">
      <input
        type="checkbox"
        checked={done}
        onChange={toggle}
        disabled={pending}
        aria-label={done ? `Reopen ${task.title}` : `Complete ${task.title}`}
      />
      <div className="body">
        <Link href={`/tasks/${task.id}`} className="title">
          {task.title}
        </Link>
        <TaskBadges task={task} timeZone={timeZone} assigneeName={assigneeName} />
        <ErrorMessage error={error} />
      </div>
    </li>
  );
}
