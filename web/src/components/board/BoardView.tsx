"use client";
// The board: a column per status in manual order, drag and drop within and across columns
// (dnd-kit: pointer, touch and keyboard, with screen-reader announcements), Alt+arrows as a
// second keyboard way. One request per move, optimistic; the order is the server's, so it
// holds after a reload and for everyone. Columns load 20 cards at a time as you scroll.
import {
  closestCorners,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type KeyboardCoordinateGetter,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy, arrayMove } from "@dnd-kit/sortable";
import { Plus } from "lucide-react";
import { useCallback, useMemo, useState, type KeyboardEvent } from "react";
import { IconButton } from "@/components/ui/Button";
import { cx } from "@/components/ui/cx";
import { ErrorMessage } from "@/components/ui/Status";
import { LoadMore } from "@/components/tasks/LoadMore";
import { QuickAdd } from "@/components/tasks/QuickAdd";
import { STATUS_LABELS } from "@/components/tasks/TaskMeta";
import { STATUSES, type Status, type Task } from "@/lib/api/types";
import { personOf } from "@/lib/people";
import { focusTask, useSelection } from "@/lib/selection";
import { useShortcut } from "@/lib/shortcuts";
import { useTaskActions } from "@/lib/tasks/provider";
import { useColumns, type FilledList } from "@/lib/tasks/queries";
import { filterSpec } from "@/lib/view-state";
import type { ProjectViewProps } from "@/components/tasks/view-props";
import { CardBody, TaskCard } from "./TaskCard";


type Columns = Record<Status, string[]>;

function isStatus(id: UniqueIdentifier): id is Status {
  return (STATUSES as readonly UniqueIdentifier[]).includes(id);
}

/** Arrow keys while a card is picked up: up and down among the cards (dnd-kit's), left and
 * right to the top of the neighbouring column (its own getter only knows one list). */
const boardKeyboardCoordinates: KeyboardCoordinateGetter = (event, args) => {
  if (event.code !== "ArrowLeft" && event.code !== "ArrowRight") return sortableKeyboardCoordinates(event, args);
  event.preventDefault();
  const { collisionRect, droppableRects, droppableContainers } = args.context;
  if (!collisionRect) return undefined;
  const right = event.code === "ArrowRight";
  const columns = droppableContainers
    .getEnabled()
    .filter((c) => isStatus(c.id))
    .map((c) => droppableRects.get(c.id))
    .filter((rect): rect is NonNullable<typeof rect> => rect !== undefined && (right ? rect.left > collisionRect.left + 1 : rect.left + rect.width < collisionRect.left + 1))
    .sort((a, b) => (right ? a.left - b.left : b.left - a.left));
  const target = columns[0];
  if (!target) return undefined;
  return { x: target.left + (target.width - collisionRect.width) / 2, y: target.top + 2 };
};

function Column({ status, ids, tasks, list, children, canWrite, onAdd, addForm }: {
  status: Status;
  ids: string[];
  tasks: Map<string, Task>;
  list: FilledList;
  children: (task: Task) => React.ReactNode;
  canWrite: boolean;
  onAdd: () => void;
  addForm: React.ReactNode;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: status });
  const headingId = `column-${status}`;
  return (
    <section aria-labelledby={headingId} className="flex w-[85vw] max-w-80 shrink-0 snap-start flex-col rounded-xl bg-surface sm:w-auto sm:max-w-none" data-testid={`column-${status}`}>
      <header className="flex items-center gap-2 px-3 pb-1 pt-2.5">
        <h2 id={headingId} className="font-semibold">
          {STATUS_LABELS[status]}
        </h2>
        <span className="text-xs tabular-nums text-muted">
          {ids.length}
          {list.hasMore ? "+" : ""}
        </span>
        {canWrite ? (
          <IconButton label={`Add a task to ${STATUS_LABELS[status]}`} size="sm" className="ml-auto" onClick={onAdd}>
            <Plus className="size-4" aria-hidden="true" />
          </IconButton>
        ) : null}
      </header>
      <ErrorMessage error={list.error} className="mx-2" />
      {addForm ? <div className="px-2 pt-1">{addForm}</div> : null}
      <SortableContext id={status} items={ids} strategy={verticalListSortingStrategy}>
        <ul ref={setNodeRef} aria-label={STATUS_LABELS[status]} aria-busy={list.loading || list.fetchingMore} className={cx("flex min-h-24 flex-1 flex-col gap-2 rounded-b-xl p-2", isOver && "bg-accent-soft")}>
          {list.loading ? (
            <li className="skeleton h-16" aria-hidden="true" />
          ) : ids.length === 0 ? (
            <li className="rounded-lg border border-dashed border-line p-3 text-center text-xs text-muted">{canWrite ? "Drop a card here" : "Empty"}</li>
          ) : (
            ids.map((id) => {
              const task = tasks.get(id);
              return task ? children(task) : null;
            })
          )}
        </ul>
      </SortableContext>
      <LoadMore list={list} what="cards" />
    </section>
  );
}

export default function BoardView({ project, state, timeZone, members, me, canWrite, taskHref, onOpen }: ProjectViewProps) {
  const actions = useTaskActions();
  const filters = filterSpec(state);
  const lists: Record<Status, FilledList> = useColumns(project.id, actions.ordered, filters);
  const byId = useMemo(() => new Map(STATUSES.flatMap((s) => lists[s].tasks.map((t) => [t.id, t] as const))), [lists.todo.tasks, lists.in_progress.tasks, lists.done.tasks]); // eslint-disable-line react-hooks/exhaustive-deps
  const fromCache = useMemo<Columns>(
    () => ({ todo: lists.todo.tasks.map((t) => t.id), in_progress: lists.in_progress.tasks.map((t) => t.id), done: lists.done.tasks.map((t) => t.id) }),
    [lists.todo.tasks, lists.in_progress.tasks, lists.done.tasks],
  );
  const [dragging, setDragging] = useState<{ id: string; from: Status; columns: Columns } | null>(null);
  const [adding, setAdding] = useState<Status | null>(null);
  const columns = dragging?.columns ?? fromCache;

  const order = useMemo(() => STATUSES.flatMap((s) => columns[s]), [columns]);
  const selection = useSelection(order);
  const selectedTask = selection.selected ? byId.get(selection.selected) : undefined;
  useShortcut("j", () => selection.step(1));
  useShortcut("k", () => selection.step(-1));
  useShortcut("x", () => selectedTask && canWrite && void actions.setDone(selectedTask, selectedTask.status !== "done"), { enabled: Boolean(selectedTask) });
  useShortcut("e", () => selectedTask && onOpen(selectedTask.id), { enabled: Boolean(selectedTask) });
  useShortcut(["n", "q"], () => setAdding("todo"), { enabled: canWrite });

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: boardKeyboardCoordinates, keyboardCodes: { start: ["Space"], cancel: ["Escape"], end: ["Space", "Enter"] } }),
  );

  const containerOf = useCallback(
    (id: UniqueIdentifier, cols: Columns): Status | null => (isStatus(id) ? id : (STATUSES.find((s) => cols[s].includes(String(id))) ?? null)),
    [],
  );

  /** Sends the move: the target column's tasks as the server listed them, the index among
   * them; below the last loaded card of a column with more, the next page comes first. */
  const commit = async (task: Task, status: Status, finalIds: string[]) => {
    const index = finalIds.indexOf(task.id);
    let column: Task[] = lists[status].tasks;
    const others = column.filter((t) => t.id !== task.id);
    if (index >= others.length && lists[status].hasMore) column = await lists[status].fetchNext();
    await actions.move(task, { status, index, column });
  };

  const onDragStart = ({ active }: DragStartEvent) => {
    const from = containerOf(active.id, fromCache);
    if (from) setDragging({ id: String(active.id), from, columns: fromCache });
  };
  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over || !dragging) return;
    const from = containerOf(active.id, dragging.columns);
    const to = containerOf(over.id, dragging.columns);
    if (!from || !to || from === to) return;
    setDragging((d) => {
      if (!d) return d;
      const source = d.columns[from].filter((id) => id !== active.id);
      const target = [...d.columns[to]];
      // Over a card: before it, or after it when the dragged card is past its middle.
      const translated = active.rect.current.translated;
      const below = translated !== null && translated.top > over.rect.top + over.rect.height / 2;
      const index = target.indexOf(String(over.id));
      const at = isStatus(over.id) || index < 0 ? target.length : index + (below ? 1 : 0);
      target.splice(at, 0, String(active.id));
      return { ...d, columns: { ...d.columns, [from]: source, [to]: target } };
    });
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const current = dragging;
    const task = byId.get(String(active.id));
    if (!current || !task || !over) {
      setDragging(null);
      return;
    }
    const to = containerOf(over.id, current.columns) ?? current.from;
    let ids = current.columns[to];
    const oldIndex = ids.indexOf(String(active.id));
    const overIndex = isStatus(over.id) ? ids.length - 1 : ids.indexOf(String(over.id));
    if (oldIndex >= 0 && overIndex >= 0 && oldIndex !== overIndex) ids = arrayMove(ids, oldIndex, overIndex);
    void commit(task, to, ids);
    // The optimistic update reaches the lists in the next task: keep the dragged order on
    // screen until then, so the card never flashes back.
    setDragging((d) => (d ? { ...d, columns: { ...d.columns, [to]: ids } } : d));
    setTimeout(() => setDragging(null), 0);
    requestAnimationFrame(() => focusTask(task.id));
  };

  const names = (id: UniqueIdentifier) => byId.get(String(id))?.title ?? "the task";
  const where = (id: UniqueIdentifier, cols: Columns) => {
    const status = containerOf(id, cols);
    if (!status) return "";
    const list = cols[status];
    const position = isStatus(id) ? list.length : list.indexOf(String(id)) + 1;
    return `${STATUS_LABELS[status]}, position ${position} of ${list.length}`;
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${names(active.id)} in ${where(active.id, columns)}. Arrow keys move it, Space drops it, Escape cancels.`,
    onDragOver: ({ active, over }) => (over ? `${names(active.id)} is over ${where(over.id, columns)}.` : `${names(active.id)} is no longer over a column.`),
    onDragEnd: ({ active, over }) => (over ? `Dropped ${names(active.id)} in ${where(over.id, columns)}.` : `Dropped ${names(active.id)}.`),
    onDragCancel: ({ active }) => `Moving cancelled. ${names(active.id)} is back where it was.`,
  };

  const moveByKeyboard = (event: KeyboardEvent, task: Task) => {
    if (!event.altKey || !canWrite || !["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(event.key)) return;
    event.preventDefault();
    const column = lists[task.status].tasks;
    const index = column.findIndex((t) => t.id === task.id);
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      const to = event.key === "ArrowUp" ? index - 1 : index + 1;
      if (index < 0 || to < 0 || to > column.length - 1) return;
      void actions.move(task, { status: task.status, index: to, column });
    } else {
      const next = STATUSES[STATUSES.indexOf(task.status) + (event.key === "ArrowRight" ? 1 : -1)];
      if (!next) return;
      void actions.move(task, { status: next, index: 0, column: lists[next].tasks });
    }
    requestAnimationFrame(() => focusTask(task.id));
  };

  const person = (t: Task) => personOf(t.assignee_id, members, me);
  const active = dragging ? byId.get(dragging.id) : undefined;
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCorners}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={() => setDragging(null)}
      accessibility={{
        announcements,
        screenReaderInstructions: { draggable: "To move a card, press Space, then the arrow keys; Space drops it, Escape cancels. Alt with an arrow key moves the selected card one step." },
      }}
    >
      <div className="-mx-4 flex snap-x gap-3 overflow-x-auto px-4 pb-4 sm:mx-0 sm:grid sm:grid-cols-3 sm:overflow-visible sm:px-0" data-testid="board">
        {STATUSES.map((status) => (
          <Column
            key={status}
            status={status}
            ids={columns[status]}
            tasks={byId}
            list={lists[status]}
            canWrite={canWrite}
            onAdd={() => setAdding(adding === status ? null : status)}
            addForm={
              adding === status ? (
                <QuickAdd
                  projectId={project.id}
                  timeZone={timeZone}
                  members={members}
                  status={status}
                  label={`New task in ${STATUS_LABELS[status]}`}
                  placeholder={`Add to ${STATUS_LABELS[status]}… (Esc closes)`}
                  onEscape={() => setAdding(null)}
                  autoFocus
                  compact
                />
              ) : null
            }
          >
            {(task) => (
              <TaskCard
                key={task.id}
                task={task}
                timeZone={timeZone}
                assignee={person(task)}
                href={taskHref(task.id)}
                selected={selection.selected === task.id}
                canWrite={canWrite}
                onSelect={selection.select}
                onKeyDown={moveByKeyboard}
              />
            )}
          </Column>
        ))}
      </div>
      <DragOverlay>{active ? <div className="rotate-1 rounded-lg border border-accent bg-raised p-2.5 shadow-pop"><CardBody task={active} timeZone={timeZone} assignee={person(active)} href="#" overlay /></div> : null}</DragOverlay>
    </DndContext>
  );
}
