"use client";
// A card on the board: the title opens the task; the whole card drags with a pointer; the grip
// is the keyboard's handle (Space picks it up, arrows move it, Space drops, Esc cancels).
import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { GripVertical } from "lucide-react";
import Link from "next/link";
import { memo, type KeyboardEvent, type KeyboardEventHandler, type PointerEventHandler } from "react";
import { Avatar } from "@/components/ui/Avatar";
import { cx } from "@/components/ui/cx";
import { DueText, Labels, PriorityIcon } from "@/components/tasks/TaskMeta";
import type { Task } from "@/lib/api/types";
import type { Person } from "@/lib/people";
import { isTemporary } from "@/lib/tasks/ordering";

export interface CardProps {
  task: Task;
  timeZone: string;
  assignee: Person | null;
  href: string;
  selected?: boolean;
  canWrite?: boolean;
  onSelect?: (id: string) => void;
  onKeyDown?: (event: KeyboardEvent, task: Task) => void;
  overlay?: boolean;
}

export function CardBody({ task, timeZone, assignee, href, selected = false, overlay = false }: CardProps) {
  const done = task.status === "done";
  return (
    <>
      <Link
        href={href}
        scroll={false}
        tabIndex={overlay ? -1 : selected ? 0 : -1}
        data-task-link
        draggable={false}
        className={cx("block text-fg no-underline [overflow-wrap:anywhere]", done && "text-muted line-through")}
      >
        {task.title}
      </Link>
      <div className="mt-2 flex items-center gap-2">
        <PriorityIcon priority={task.priority} />
        <DueText task={task} timeZone={timeZone} />
        <Labels labels={task.labels} className="min-w-0 flex-1" />
        <span className="ml-auto">{assignee ? <Avatar person={assignee} size="sm" /> : null}</span>
      </div>
    </>
  );
}

export const TaskCard = memo(function TaskCard(props: CardProps) {
  const { task, selected = false, canWrite = false, onSelect, onKeyDown } = props;
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: task.id,
    data: { status: task.status },
    disabled: !canWrite || isTemporary(task.id),
  });
  return (
    <li
      ref={setNodeRef}
      data-testid="card"
      data-task-id={task.id}
      onFocus={() => onSelect?.(task.id)}
      onKeyDown={onKeyDown ? (event) => onKeyDown(event, task) : undefined}
      onPointerDown={listeners?.onPointerDown as PointerEventHandler | undefined}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cx(
        "group relative touch-manipulation rounded-lg border bg-raised p-2.5 pr-7 shadow-sm",
        "border-line hover:border-line-strong focus-within:border-accent",
        isDragging && "opacity-40",
        canWrite && "cursor-grab active:cursor-grabbing",
      )}
    >
      <CardBody {...props} />
      {canWrite ? (
        <button
          type="button"
          ref={setActivatorNodeRef}
          {...attributes}
          onKeyDown={listeners?.onKeyDown as KeyboardEventHandler | undefined}
          tabIndex={selected ? 0 : -1}
          aria-label={`Move ${task.title}`}
          className="absolute right-1 top-1.5 rounded p-0.5 text-muted opacity-60 hover:bg-subtle hover:opacity-100 focus-visible:opacity-100"
        >
          <GripVertical className="size-4" aria-hidden="true" />
        </button>
      ) : null}
    </li>
  );
});
