// What a user does to tasks, optimistic everywhere: the screen changes at once (cache.ts),
// the request follows, the server's answer replaces the guess; a failure puts the task back
// and says why in a toast. Changes to one task run one after another (a mutation scope per
// task), each with the version the previous one left, so quick edits never trip over each other;
// while a later change of a task is on its way, an earlier one's answer (or failure) does not
// put back what the user has since changed: the later one's answer decides what is shown.
import { MutationObserver, type MutationOptions, type QueryClient } from "@tanstack/react-query";
import type { Api } from "@/lib/api/client";
import { errorMessage, isApiError, isLimitError } from "@/lib/api/errors";
import type { Status, Task, TaskCreate, TaskPatch } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { toast, toastError } from "@/lib/toast";
import { cachedTask, placeOptimistically, removeTask, upsertTask } from "./cache";
import { changing, taskChange } from "./changes";
import { isTemporary, neighboursAt, temporaryId } from "./ordering";

/** How long the toast offers Undo (a deleted task stays restorable from the trash). */
export const UNDO_MS = 8000;
/** Counts (stats) come from the projection, a moment behind: ask again after this. */
const COUNTS_LAG_MS = 1500;

export interface MoveTarget {
  status: Status;
  /** Where it goes among the column's tasks as the user sees them. */
  index: number;
  /** The target column's tasks in order, as shown when it was dropped. */
  column: readonly Task[];
}

/** A 412 on an edit: what the user typed and the task as it is now on the server. */
export class EditConflict extends Error {
  constructor(
    readonly patch: TaskPatch,
    readonly latest: Task,
  ) {
    super("This task changed since you opened it.");
    this.name = "EditConflict";
  }
}

export class TaskActions {
  private countsTimer: ReturnType<typeof setTimeout> | null = null;
  /** Tasks whose change failed while a later one was on its way: read again once all settle. */
  private readonly unsure = new Set<string>();

  constructor(
    private readonly api: Api,
    private readonly client: QueryClient,
    /** The API serves the board contract (POST /tasks/{id}/move, sort=position). */
    readonly ordered: boolean,
  ) {}

  private run<TData, TVars, TContext>(options: MutationOptions<TData, Error, TVars, TContext>, vars: TVars): Promise<TData> {
    return new MutationObserver(this.client, options).mutate(vars);
  }

  /** Another change of the task waits behind the one settling (which still counts itself). */
  private laterChange(id: string): boolean {
    return changing(this.client, id) > 1;
  }

  /** A change's answer. When the user has changed the task again meanwhile, the screen keeps
   * that later change (a task deleted since stays off it) and takes only the version, which
   * the later request is checked against. */
  private answered(saved: Task): void {
    if (this.laterChange(saved.id)) {
      const shown = cachedTask(this.client, saved.id);
      if (shown) upsertTask(this.client, { ...shown, version: saved.version });
      return;
    }
    upsertTask(this.client, saved);
    this.unsure.delete(saved.id);
  }

  /** A change failed: the task as it was before it — unless a later change is on its way,
   * whose answer decides (after a failure in between, the task is read again at the end), or
   * the task is gone (deleted meanwhile: it leaves the screen). */
  private rollBack(before: Task, error: unknown): void {
    if (isApiError(error, 404)) {
      this.unsure.delete(before.id);
      removeTask(this.client, before);
      return;
    }
    if (this.laterChange(before.id)) {
      this.unsure.add(before.id);
      return;
    }
    upsertTask(this.client, before);
    if (this.unsure.delete(before.id)) {
      void this.client.invalidateQueries({ queryKey: keys.task(before.id) });
      void this.client.invalidateQueries({ queryKey: keys.projectTasks(before.project_id) });
    }
  }

  private countsChanged(): void {
    if (this.countsTimer) clearTimeout(this.countsTimer);
    this.countsTimer = setTimeout(() => void this.client.invalidateQueries({ queryKey: keys.stats }), COUNTS_LAG_MS);
  }

  /** Done ↔ to do. No If-Match: only `status` is sent, so it cannot undo anyone's edit. */
  setDone(task: Task, done: boolean, { undoable = true }: { undoable?: boolean } = {}): Promise<Task | undefined> {
    const status: Status = done ? "done" : "todo";
    const before = cachedTask(this.client, task.id) ?? task;
    const repeats = Boolean(before.recurrence ?? task.recurrence);
    return this.run<Task, Task, { before: Task }>(
      {
        ...taskChange(task.id),
        onMutate: () => {
          upsertTask(this.client, { ...before, status, completed_at: done ? new Date().toISOString() : null });
          if (undoable) {
            toast({
              title: done ? `Completed “${task.title}”` : `Reopened “${task.title}”`,
              duration: UNDO_MS,
              action: { label: "Undo", altText: `Undo: mark “${task.title}” ${done ? "not done" : "done"} again`, run: () => void this.setDone(task, !done, { undoable: false }) },
            });
          }
          return { before };
        },
        // A repeating task completes through its series: one request when its next
        // occurrence is prepared (the server falls back to two when it is not).
        mutationFn: () => (done && repeats ? this.api.completeOccurrence(task.id) : this.api.updateTask(task.id, { status })),
        onSuccess: (saved) => {
          this.answered(saved);
          // Completing a repeating task created its next occurrence: the lists show it.
          if (done && repeats) void this.client.invalidateQueries({ queryKey: keys.projectTasks(task.project_id) });
          this.countsChanged();
        },
        onError: (error, _vars, context) => {
          if (context) this.rollBack(context.before, error);
          toastError(`Could not ${done ? "complete" : "reopen"} “${task.title}”`, errorMessage(error));
        },
      },
      task,
    ).catch(() => undefined);
  }

  /** A new task, shown at once where the list's order puts it; `onFailed` gets the input back. */
  create(projectId: string, input: TaskCreate, onFailed?: (input: TaskCreate) => void): Promise<Task | undefined> {
    const now = new Date().toISOString();
    const temporary: Task = {
      id: temporaryId(projectId),
      project_id: projectId,
      title: input.title,
      description: input.description ?? "",
      status: input.status ?? "todo",
      priority: input.priority ?? "medium",
      due_at: input.due_at ?? null,
      labels: input.labels ?? [],
      checklist: [],
      checklist_progress: { done: 0, total: 0 },
      assignee_id: input.assignee_id ?? null,
      created_at: now,
      updated_at: now,
      completed_at: null,
      created_by: "",
      updated_by: null,
      version: 0,
      position: "\uffff", // the end of its column until the server says where
      recurrence: null,
      deleted_at: null,
      deleted_by: null,
      purge_at: null,
    };
    const idempotencyKey = crypto.randomUUID(); // a retried request never makes two tasks
    return this.run<Task, TaskCreate, undefined>(
      {
        onMutate: () => {
          upsertTask(this.client, temporary);
          return undefined;
        },
        mutationFn: (vars) => this.api.createTask(projectId, vars, idempotencyKey),
        onSuccess: (task) => {
          removeTask(this.client, temporary);
          upsertTask(this.client, task);
          this.countsChanged();
        },
        onError: (error) => {
          removeTask(this.client, temporary);
          onFailed?.(input);
          // At a quota a retry cannot succeed: the message says why, with no Retry offered.
          const retry = isLimitError(error)
            ? undefined
            : {
                label: "Retry",
                altText: `Try adding “${input.title}” again`,
                run: () => void this.create(projectId, input, onFailed),
              };
          toastError(`Could not add “${input.title}”`, errorMessage(error), retry);
        },
      },
      input,
    ).catch(() => undefined);
  }

  /** An edit in place (the task drawer): only the changed fields, guarded by the version the
   * previous edit left (or `version`: the one the user chose to overwrite). A 412 rejects with
   * EditConflict (the typed values and the server's task) and leaves what was typed on screen
   * until the user chooses: keep theirs (`resolve`) or send theirs over (`version`). */
  update(task: Task, patch: TaskPatch, { guard = true, version: over }: { guard?: boolean; version?: number } = {}): Promise<Task> {
    let before: Task = task;
    return this.run<Task, TaskPatch, undefined>(
      {
        ...taskChange(task.id),
        onMutate: (vars) => {
          before = cachedTask(this.client, task.id) ?? task;
          upsertTask(this.client, { ...before, ...vars, updated_at: new Date().toISOString() } as Task);
          return undefined;
        },
        mutationFn: async (vars) => {
          const version = guard ? (over ?? cachedTask(this.client, task.id)?.version) : undefined;
          try {
            return await this.api.updateTask(task.id, vars, version);
          } catch (error) {
            if (isApiError(error, 412)) throw new EditConflict(vars, await this.api.getTask(task.id));
            throw error;
          }
        },
        onSuccess: (saved) => {
          this.answered(saved);
          this.countsChanged();
        },
        onError: (error) => {
          if (error instanceof EditConflict) return;
          this.rollBack(before, error);
          toastError(`Could not save “${task.title}”`, errorMessage(error));
        },
      },
      patch,
    );
  }

  /** After a conflict, the user kept the other version: it replaces what they typed. */
  resolve(latest: Task): void {
    upsertTask(this.client, latest);
  }

  /** Drag and drop (or its keyboard alternative): one request places the task between its
   * new neighbours. A neighbour that moved meanwhile (409) or a task changed meanwhile (412):
   * read the column again and try once more at the same place. */
  move(task: Task, target: MoveTarget): Promise<Task | undefined> {
    const before = cachedTask(this.client, task.id) ?? task;
    const first = neighboursAt(target.column, target.index, task.id);
    if (!this.ordered) {
      // Without the board contract only the column can change, by PATCH.
      if (target.status === before.status) return Promise.resolve(undefined);
      return this.update(before, { status: target.status }, { guard: false }).catch(() => undefined);
    }
    if (target.status === before.status) {
      const here = target.column.findIndex((t) => t.id === task.id);
      const now = neighboursAt(target.column, here, task.id);
      if (here >= 0 && now.after?.id === first.after?.id && now.before?.id === first.before?.id) return Promise.resolve(undefined);
    }
    return this.run<Task, MoveTarget, { before: Task }>(
      {
        ...taskChange(task.id),
        onMutate: () => {
          placeOptimistically(this.client, before, target.status, first.after);
          return { before };
        },
        mutationFn: async () => {
          const attempt = async (neighbours: typeof first, version: number | undefined) => {
            const result = await this.api.moveTask(
              task.id,
              {
                status: target.status,
                after: neighbours.after?.id ?? null,
                before: neighbours.before?.id ?? null,
                ...(neighbours.after?.position ? { after_position: neighbours.after.position } : {}),
                ...(neighbours.before?.position ? { before_position: neighbours.before.position } : {}),
              },
              version,
            );
            return { ...(cachedTask(this.client, task.id) ?? before), ...result };
          };
          try {
            // The version now held: an earlier change of mine answered since this one began.
            return await attempt(first, cachedTask(this.client, task.id)?.version ?? before.version);
          } catch (error) {
            if (!isApiError(error, 409) && !isApiError(error, 412)) throw error;
            const [fresh, column] = await Promise.all([
              this.api.getTask(task.id),
              this.api.listTasks(task.project_id, { status: target.status, sort: "position", order: "asc", limit: 100 }),
            ]);
            return attempt(neighboursAt(column.items, target.index, task.id), fresh.version);
          }
        },
        onSuccess: (moved) => {
          this.answered(moved);
          // Dropped on Done, a repeating task was completed with its next occurrence (as
          // by setDone): the lists read it now rather than wait for the live update.
          if (moved.status === "done" && before.status !== "done" && before.recurrence) {
            void this.client.invalidateQueries({ queryKey: keys.projectTasks(task.project_id) });
          }
          if (moved.status !== before.status) this.countsChanged();
        },
        onError: (error, _vars, context) => {
          if (context) this.rollBack(context.before, error);
          if (!this.laterChange(task.id)) void this.client.invalidateQueries({ queryKey: keys.projectTasks(task.project_id) });
          toastError(`Could not move “${task.title}”`, errorMessage(error));
        },
      },
      target,
    ).catch(() => undefined);
  }

  /** Gone from the screen at once, and deleted at once: the task waits in its project's
   * trash, whole (comments, files, checklist), and the toast's Undo restores it from there
   * (the same id). A failure puts it back on screen and says why. */
  remove(task: Task): Promise<void> {
    if (isTemporary(task.id)) return Promise.resolve();
    const before = cachedTask(this.client, task.id) ?? task;
    return this.run<void, Task, undefined>(
      {
        ...taskChange(task.id),
        onMutate: () => {
          removeTask(this.client, before);
          return undefined;
        },
        mutationFn: async () => {
          try {
            await this.api.deleteTask(task.id);
          } catch (error) {
            if (!isApiError(error, 404)) throw error; // already gone: what the user wanted
          }
        },
        onSuccess: () => {
          this.trashChanged(before.project_id);
          this.countsChanged();
          toast({
            title: `Moved “${before.title}” to the trash`,
            duration: UNDO_MS,
            action: { label: "Undo", altText: `Undo deleting “${before.title}”: restore it from the trash`, run: () => void this.restore(before) },
          });
        },
        onError: (error) => {
          this.rollBack(before, error);
          toastError(`Could not delete “${before.title}”`, errorMessage(error));
        },
      },
      before,
    ).catch(() => undefined);
  }

  /** Back from the trash (Undo after a delete, or the Trash page's Restore: both go through
   * here, so both update the same caches and meet the same refusals): the server's task, with
   * its id, fields and children, leaves the trash list and joins every list again. A refusal
   * (the project was archived meanwhile, the assignee left) says so in a toast; the answer
   * is then undefined. */
  restore(task: Task): Promise<Task | undefined> {
    return this.run<Task, Task, undefined>(
      {
        ...taskChange(task.id),
        mutationFn: () => this.api.restoreTask(task.id),
        onSuccess: (back) => {
          this.client.setQueryData<Task[]>(keys.trash(back.project_id), (list) => list?.filter((t) => t.id !== back.id));
          upsertTask(this.client, back);
          this.trashChanged(back.project_id);
          this.countsChanged();
        },
        onError: (error) => {
          toastError(`Could not restore “${task.title}”`, errorMessage(error));
        },
      },
      task,
    ).catch(() => undefined);
  }

  private trashChanged(projectId: string): void {
    void this.client.invalidateQueries({ queryKey: keys.trash(projectId) });
  }
}
