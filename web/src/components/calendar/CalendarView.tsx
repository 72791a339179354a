"use client";
// The calendar: a month of due dates in the user's time zone. Drag a task to another day (it
// keeps its time of day), or Alt+←/→ a day and Alt+↑/↓ a week from the keyboard; optimistic,
// like every change. On a phone the month is an agenda: the days that have tasks, in order.
import { DndContext, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { CalendarDays, ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { useMemo, useState, type KeyboardEvent } from "react";
import { Button, IconButton } from "@/components/ui/Button";
import { cx } from "@/components/ui/cx";
import { EmptyState, ErrorMessage, Skeleton } from "@/components/ui/Status";
import { PriorityIcon } from "@/components/tasks/TaskMeta";
import type { ProjectViewProps } from "@/components/tasks/view-props";
import type { Task } from "@/lib/api/types";
import { dayKey, dayTitle, monthGrid, monthOf, monthTitle, moveToDay, shiftDay, shiftMonth, useNow, weekdayNames } from "@/lib/dates";
import { focusTask } from "@/lib/selection";
import { useTaskActions } from "@/lib/tasks/provider";
import { useFilledList } from "@/lib/tasks/queries";
import { filterSpec } from "@/lib/view-state";

interface Props extends ProjectViewProps {
  onMonth: (month: string) => void;
}

function time(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

function Chip({ task, timeZone, href, canWrite, onKeyDown, layout }: { task: Task; timeZone: string; href: string; canWrite: boolean; onKeyDown: (event: KeyboardEvent, task: Task) => void; layout: "month" | "agenda" }) {
  // Pointer drags only: from the keyboard, Alt+arrows move it (a day, a week). The month and
  // the phone's agenda are both rendered (CSS shows one): each registers its own id.
  const { listeners, setNodeRef, transform, isDragging } = useDraggable({ id: `${layout}:${task.id}`, data: { id: task.id }, disabled: !canWrite });
  const done = task.status === "done";
  return (
    <li
      ref={setNodeRef}
      data-task-id={task.id}
      data-testid="calendar-task"
      onPointerDown={listeners?.onPointerDown as React.PointerEventHandler | undefined}
      onKeyDown={(event) => onKeyDown(event, task)}
      style={transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined}
      className={cx(
        "flex items-center gap-1 rounded bg-raised shadow-sm ring-1 ring-line",
        layout === "agenda" ? "min-h-11 px-3 py-2 text-sm" : "px-1.5 py-0.5 text-xs",
        isDragging && "z-10 opacity-80 shadow-pop",
        canWrite && "cursor-grab",
      )}
    >
      <PriorityIcon priority={task.priority} className="size-3" />
      <span className="shrink-0 tabular-nums text-muted">{task.due_at ? time(task.due_at, timeZone) : ""}</span>
      <Link href={href} scroll={false} data-task-link draggable={false} className={cx("min-w-0 flex-1 truncate text-fg", done && "text-muted line-through")}>
        {task.title}
      </Link>
    </li>
  );
}

function Day({ day, today, children, count }: { day: { key: string; day: number; inMonth: boolean; weekend: boolean }; today: string; children: React.ReactNode; count: number }) {
  const { setNodeRef, isOver } = useDroppable({ id: day.key });
  return (
    <div
      ref={setNodeRef}
      role="group"
      aria-label={`${dayTitle(day.key)}${count ? `, ${count} ${count === 1 ? "task" : "tasks"}` : ""}`}
      data-day={day.key}
      className={cx(
        "min-h-28 border-b border-r border-line p-1",
        !day.inMonth && "bg-surface/60",
        day.weekend && day.inMonth && "bg-surface",
        isOver && "bg-accent-soft",
      )}
    >
      <div className={cx("mb-1 flex size-6 items-center justify-center rounded-full text-xs", day.key === today ? "bg-accent font-semibold text-accent-fg" : day.inMonth ? "text-fg" : "text-muted")} aria-hidden="true">
        {day.day}
      </div>
      {children}
    </div>
  );
}

export default function CalendarView({ project, state, timeZone, canWrite, taskHref, onMonth }: Props) {
  const actions = useTaskActions();
  const now = useNow();
  const month = state.month ?? monthOf(now, timeZone);
  const today = dayKey(new Date(now).toISOString(), timeZone);
  const { weeks, from, to } = useMemo(() => monthGrid(month, timeZone), [month, timeZone]);
  const list = useFilledList(project.id, { ...filterSpec(state), due: undefined, dueFrom: from, dueTo: to, sort: "due", order: "asc" }, { pageSize: 100, all: true });
  const [announcement, setAnnouncement] = useState("");
  const byDay = useMemo(() => {
    const map = new Map<string, Task[]>();
    for (const task of list.tasks) {
      if (!task.due_at || (!state.showDone && task.status === "done")) continue;
      const key = dayKey(task.due_at, timeZone);
      map.set(key, [...(map.get(key) ?? []), task]);
    }
    return map;
  }, [list.tasks, timeZone, state.showDone]);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }));

  const reschedule = (task: Task, day: string) => {
    if (!task.due_at || !canWrite) return;
    const due_at = moveToDay(task.due_at, day, timeZone);
    if (due_at === task.due_at) return;
    // Only the due date is sent (no If-Match): it cannot undo anyone's other edits.
    void actions.update(task, { due_at }, { guard: false }).catch(() => undefined);
    setAnnouncement(`Moved “${task.title}” to ${dayTitle(day)}.`);
    if (day.slice(0, 7) !== month) onMonth(day.slice(0, 7));
    requestAnimationFrame(() => focusTask(task.id));
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const task = list.tasks.find((t) => t.id === active.data.current?.id);
    if (task && over) reschedule(task, String(over.id));
  };
  const onKeyDown = (event: KeyboardEvent, task: Task) => {
    const steps: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    const by = steps[event.key];
    if (!event.altKey || by === undefined || !task.due_at) return;
    event.preventDefault();
    reschedule(task, shiftDay(dayKey(task.due_at, timeZone), by));
  };

  const names = weekdayNames();
  const agenda = weeks.flat().filter((d) => d.inMonth && (byDay.has(d.key) || d.key === today));
  return (
    <section aria-labelledby="calendar-title">
      <div className="mb-3 flex items-center gap-2">
        <h2 id="calendar-title" className="mr-auto text-base font-semibold">
          {monthTitle(month)}
        </h2>
        <IconButton label="Previous month" onClick={() => onMonth(shiftMonth(month, -1))}>
          <ChevronLeft className="size-4" aria-hidden="true" />
        </IconButton>
        <Button size="sm" onClick={() => onMonth(monthOf(Date.now(), timeZone))}>
          Today
        </Button>
        <IconButton label="Next month" onClick={() => onMonth(shiftMonth(month, 1))}>
          <ChevronRight className="size-4" aria-hidden="true" />
        </IconButton>
      </div>
      <ErrorMessage error={list.error} className="mb-3" />
      <p className="sr-only" role="status">
        {announcement}
      </p>
      {list.loading ? (
        <Skeleton rows={5} label="Loading the calendar" />
      ) : (
        <DndContext sensors={sensors} onDragEnd={onDragEnd}>
          <div aria-busy={list.fetchingMore} className="hidden overflow-hidden rounded-xl border-l border-t border-line sm:block" data-testid="calendar">
            <div className="grid grid-cols-7" aria-hidden="true">
              {names.map((name) => (
                <div key={name} className="border-b border-r border-line px-2 py-1 text-xs font-medium text-muted">
                  {name}
                </div>
              ))}
            </div>
            {weeks.map((week) => (
              <div key={week[0]?.key} className="grid grid-cols-7">
                {week.map((day) => {
                  const tasks = byDay.get(day.key) ?? [];
                  return (
                    <Day key={day.key} day={day} today={today} count={tasks.length}>
                      {tasks.length ? (
                        <ul className="space-y-1" aria-label={`Due ${dayTitle(day.key)}`}>
                          {tasks.map((task) => (
                            <Chip key={task.id} task={task} timeZone={timeZone} href={taskHref(task.id)} canWrite={canWrite} onKeyDown={onKeyDown} layout="month" />
                          ))}
                        </ul>
                      ) : null}
                    </Day>
                  );
                })}
              </div>
            ))}
          </div>
          <div className="sm:hidden" data-testid="agenda">
            {byDay.size === 0 ? (
              <EmptyState icon={<CalendarDays className="size-8" />} title="Nothing due this month">
                Give a task a due date (in its drawer, or “tomorrow 5pm” in the quick add) to see it here.
              </EmptyState>
            ) : (
              agenda.map((day) => (
                <section key={day.key} aria-label={dayTitle(day.key)} className="mb-3">
                  <h3 className={cx("mb-1 text-xs font-semibold uppercase tracking-wide", day.key === today ? "text-accent" : "text-muted")}>
                    {day.key === today ? "Today · " : ""}
                    {dayTitle(day.key)}
                  </h3>
                  {(byDay.get(day.key) ?? []).length ? (
                    <ul className="space-y-1">
                      {(byDay.get(day.key) ?? []).map((task) => (
                        <Chip key={task.id} task={task} timeZone={timeZone} href={taskHref(task.id)} canWrite={canWrite} onKeyDown={onKeyDown} layout="agenda" />
                      ))}
                    </ul>
                  ) : (
                    <p className="text-muted">Nothing due.</p>
                  )}
                </section>
              ))
            )}
          </div>
        </DndContext>
      )}
      {!list.loading && byDay.size === 0 ? <p className="mt-3 hidden text-muted sm:block">Nothing is due this month. Tasks with a due date show here; drag one to another day to reschedule it.</p> : null}
    </section>
  );
}
