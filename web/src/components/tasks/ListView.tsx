"use client";
// The list view: compact rows grouped by status (in the board's order) or by due date, sorted
// as the URL says, done tasks shown or hidden. Every group fills itself: a filtered page that
// came back short is followed by the next until the screen is full or the data ends.
import { ChevronDown, ChevronRight, ListChecks } from "lucide-react";
import { useCallback, useMemo, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/Button";
import { EmptyState, ErrorMessage, Skeleton } from "@/components/ui/Status";
import { LoadMore } from "./LoadMore";
import { STATUSES, type Status, type Task } from "@/lib/api/types";
import { DUE_BUCKETS, dueBucket, useNow, type DueBucket } from "@/lib/dates";
import { personOf } from "@/lib/people";
import { focusTask, useSelection } from "@/lib/selection";
import { useShortcut } from "@/lib/shortcuts";
import type { ListSpec } from "@/lib/tasks/ordering";
import { useTaskActions } from "@/lib/tasks/provider";
import { LIST_PAGE, useColumns, useFilledList, type FilledList } from "@/lib/tasks/queries";
import { filterSpec, hasFilters } from "@/lib/view-state";
import type { ProjectViewProps } from "./view-props";
import { STATUS_LABELS } from "./TaskMeta";
import { TaskRow } from "./TaskRow";

interface Props extends ProjectViewProps {
  onClearFilters: () => void;
}

interface Group {
  key: string;
  title: string;
  tasks: Task[];
  list: FilledList | null;
}

function GroupSection({ group, children, collapsed, onToggle }: { group: Group; children: React.ReactNode; collapsed: boolean; onToggle: () => void }) {
  const headingId = `group-${group.key}`;
  const more = group.list?.hasMore;
  return (
    <section aria-labelledby={headingId} className="mb-4">
      <h2 id={headingId} className="mb-1 flex items-center gap-1 text-xs font-semibold uppercase tracking-wide text-muted">
        <button type="button" onClick={onToggle} aria-expanded={!collapsed} className="inline-flex items-center gap-1 rounded px-1 py-0.5 hover:bg-subtle">
          {collapsed ? <ChevronRight className="size-3.5" aria-hidden="true" /> : <ChevronDown className="size-3.5" aria-hidden="true" />}
          {group.title}
          <span className="font-normal tabular-nums">
            {group.tasks.length}
            {more ? "+" : ""}
          </span>
        </button>
      </h2>
      {collapsed ? null : children}
    </section>
  );
}

export function ListView({ project, state, timeZone, members, me, canWrite, taskHref, onOpen, onClearFilters }: Props) {
  const actions = useTaskActions();
  const boardOrder = state.sort === "board";
  const filters = filterSpec(state);
  const flatSpec: ListSpec = { ...filters, sort: state.sort === "board" ? "created" : state.sort, order: state.order };
  const showDone = useCallback((t: Task) => state.showDone || t.status !== "done", [state.showDone]);
  const columns = useColumns(project.id, actions.ordered, filters, { pageSize: LIST_PAGE, enabled: boardOrder, showDone: state.showDone });
  const flat = useFilledList(project.id, flatSpec, { enabled: !boardOrder, show: showDone, pageSize: LIST_PAGE });
  const [collapsed, setCollapsed] = useState<Record<string, boolean>>({});
  const now = useNow();

  const groups: Group[] = useMemo(() => {
    if (boardOrder) {
      return STATUSES.filter((s) => s !== "done" || state.showDone).map((s) => ({ key: s, title: STATUS_LABELS[s], tasks: columns[s].tasks, list: columns[s] }));
    }
    if (state.group === "none") return [{ key: "all", title: "Tasks", tasks: flat.tasks, list: flat }];
    if (state.group === "status") {
      return STATUSES.filter((s) => s !== "done" || state.showDone).map((s) => ({ key: s, title: STATUS_LABELS[s], tasks: flat.tasks.filter((t) => t.status === s), list: null }));
    }
    const buckets = new Map<DueBucket, Task[]>();
    for (const task of flat.tasks) {
      const bucket = dueBucket(task.due_at, task.status === "done", timeZone, now);
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), task]);
    }
    return (Object.keys(DUE_BUCKETS) as DueBucket[]).filter((b) => buckets.has(b)).map((b) => ({ key: b, title: DUE_BUCKETS[b], tasks: buckets.get(b) ?? [], list: null }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [boardOrder, state.group, state.showDone, columns.todo.tasks, columns.in_progress.tasks, columns.done.tasks, flat.tasks, timeZone, now]);

  const visible = useMemo(() => groups.filter((g) => !collapsed[g.key]).flatMap((g) => g.tasks), [groups, collapsed]);
  const ids = useMemo(() => visible.map((t) => t.id), [visible]);
  const selection = useSelection(ids);
  const selectedTask = visible.find((t) => t.id === selection.selected);

  const toggle = useCallback((task: Task) => void actions.setDone(task, task.status !== "done"), [actions]);
  useShortcut("j", () => selection.step(1));
  useShortcut("k", () => selection.step(-1));
  useShortcut("x", () => selectedTask && canWrite && toggle(selectedTask), { enabled: Boolean(selectedTask) });
  useShortcut("e", () => selectedTask && onOpen(selectedTask.id), { enabled: Boolean(selectedTask) });

  /** Alt+arrows in board order: the keyboard's drag and drop. */
  const moveByKeyboard = (task: Task, key: string) => {
    if (!boardOrder || !canWrite) return false;
    const column = columns[task.status].tasks;
    const index = column.findIndex((t) => t.id === task.id);
    if (key === "ArrowUp" || key === "ArrowDown") {
      // The index among the column's other tasks: one up, or one down.
      const to = key === "ArrowUp" ? index - 1 : index + 1;
      if (index < 0 || to < 0 || to > column.length - 1) return true;
      void actions.move(task, { status: task.status, index: to, column });
      requestAnimationFrame(() => focusTask(task.id));
      return true;
    }
    const order: Status[] = ["todo", "in_progress", "done"];
    const next = order[order.indexOf(task.status) + (key === "ArrowRight" ? 1 : -1)];
    if (!next || (next === "done" && !state.showDone)) return true;
    void actions.move(task, { status: next, index: 0, column: columns[next].tasks });
    requestAnimationFrame(() => focusTask(task.id));
    return true;
  };
  const onRowKey = (event: KeyboardEvent, task: Task) => {
    if ((event.target as HTMLElement).tagName === "INPUT") return;
    if (event.altKey && ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(event.key)) {
      if (moveByKeyboard(task, event.key)) event.preventDefault();
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      selection.step(event.key === "ArrowDown" ? 1 : -1);
    }
  };

  const loading = boardOrder ? columns.todo.loading : flat.loading;
  const error = boardOrder ? (columns.todo.error ?? columns.in_progress.error ?? columns.done.error) : flat.error;
  if (loading) return <Skeleton rows={6} label="Loading tasks" />;
  const empty = groups.every((g) => g.tasks.length === 0 && !g.list?.hasMore) && !(boardOrder ? false : flat.hasMore);
  if (empty && !error) {
    return hasFilters(state) ? (
      <EmptyState icon={<ListChecks className="size-8" />} title="No tasks match these filters">
        <Button onClick={onClearFilters}>Clear filters</Button>
      </EmptyState>
    ) : (
      <EmptyState icon={<ListChecks className="size-8" />} title="No tasks here yet">
        {canWrite ? (
          <>
            Type one above — try <q>Call Ada tomorrow 5pm #sales !high</q>. Press <kbd>n</kbd> to get there from anywhere on the page.
          </>
        ) : (
          "Nothing has been added to this project yet."
        )}
      </EmptyState>
    );
  }
  const person = (t: Task) => personOf(t.assignee_id, members, me);
  return (
    <div>
      <ErrorMessage error={error} className="mb-3" />
      {groups.map((group) => (
        <GroupSection key={group.key} group={group} collapsed={Boolean(collapsed[group.key])} onToggle={() => setCollapsed((c) => ({ ...c, [group.key]: !c[group.key] }))}>
          {group.tasks.length === 0 && !group.list?.hasMore ? null : (
            <ul aria-label={group.title} className="space-y-px">
              {group.tasks.map((task) => (
                <TaskRow
                  key={task.id}
                  task={task}
                  timeZone={timeZone}
                  assignee={person(task)}
                  canWrite={canWrite}
                  selected={selection.selected === task.id}
                  href={taskHref(task.id)}
                  onToggle={toggle}
                  onSelect={selection.select}
                  onKeyDown={onRowKey}
                />
              ))}
            </ul>
          )}
          {group.list ? <LoadMore list={group.list} /> : null}
        </GroupSection>
      ))}
      {boardOrder ? null : <LoadMore list={flat} />}
    </div>
  );
}
