"use client";
// A task's checklist: tick, add, remove, turn into a task. Each change is one request and shows
// at once; the task is read again afterwards (its version moved, and others may have ticked
// other items meanwhile: different items never conflict).
import { useQueryClient } from "@tanstack/react-query";
import { ArrowUpRight, ListChecks, Trash } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { IconButton } from "@/components/ui/Button";
import { ErrorMessage } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { ChecklistItem, Task } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { useApi, useFeature } from "@/lib/session";
import { toast } from "@/lib/toast";
import { upsertTask } from "@/lib/tasks/cache";
import { progressText } from "@/lib/tasks/progress";

export const CHECKLIST_PATH = "/tasks/{task_id}/checklist";

function withChecklist(task: Task, checklist: ChecklistItem[]): Task {
  const done = checklist.filter((item) => item.done).length;
  return { ...task, checklist, checklist_progress: { done, total: checklist.length }, version: task.version + 1 };
}

export function ChecklistPanel({ task, canWrite }: { task: Task; canWrite: boolean }) {
  const api = useApi();
  const client = useQueryClient();
  const available = useFeature(CHECKLIST_PATH);
  const id = useId();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const items = task.checklist ?? [];

  /** Shows ``next`` at once, sends the change, then reads the task back (or puts it back). */
  const change = async (next: ChecklistItem[], send: () => Promise<unknown>) => {
    const before = task;
    // A read still in flight (the one after the previous change) would land after this and
    // put the old list back: cancel it first (TanStack Query's optimistic-update pattern).
    await client.cancelQueries({ queryKey: keys.task(task.id) });
    upsertTask(client, withChecklist(task, next));
    try {
      await send();
      setError(null);
    } catch (caught) {
      upsertTask(client, before);
      setError(errorMessage(caught));
    } finally {
      void client.invalidateQueries({ queryKey: keys.task(task.id) });
      void client.invalidateQueries({ queryKey: keys.projectTasks(task.project_id) });
    }
  };
  const tick = (item: ChecklistItem) =>
    change(
      items.map((i) => (i.id === item.id ? { ...i, done: !i.done } : i)),
      () => api.changeChecklistItem(task.id, item.id, { done: !item.done }),
    );
  const remove = (item: ChecklistItem) =>
    change(
      items.filter((i) => i.id !== item.id),
      () => api.removeChecklistItem(task.id, item.id),
    );
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const line = text.trim();
    if (!line) return;
    setText("");
    const placeholder: ChecklistItem = { id: `new-${Date.now()}`, text: line, done: false, done_at: null, done_by: null, position: "~" };
    await change([...items, placeholder], () => api.addChecklistItem(task.id, line));
  };
  const promote = async (item: ChecklistItem) => {
    try {
      const created = await api.checklistItemToTask(task.id, item.id);
      upsertTask(client, created);
      await change(
        items.filter((i) => i.id !== item.id),
        async () => undefined,
      );
      toast({ title: "Turned into a task", description: created.title });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  if (available === false) return null;
  const progress = progressText(task);
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-2">
      <h3 id={`${id}-heading`} className="flex items-center gap-1.5 text-xs font-semibold uppercase tracking-wide text-muted">
        <ListChecks className="size-3.5" aria-hidden="true" /> Checklist
        {progress ? (
          <span className="font-normal normal-case" data-testid="checklist-progress">
            {progress}
          </span>
        ) : null}
      </h3>
      <ErrorMessage error={error} />
      {items.length ? (
        <ul className="space-y-1" aria-label="Checklist">
          {items.map((item) => (
            <li key={item.id} className="group flex items-center gap-2" data-testid="checklist-item">
              <input
                type="checkbox"
                id={`${id}-${item.id}`}
                checked={item.done ?? false}
                disabled={!canWrite || item.id.startsWith("new-")}
                onChange={() => void tick(item)}
                className="size-4 shrink-0"
              />
              <label htmlFor={`${id}-${item.id}`} className={item.done ? "min-w-0 flex-1 text-muted line-through [overflow-wrap:anywhere]" : "min-w-0 flex-1 [overflow-wrap:anywhere]"}>
                {item.text}
              </label>
              {canWrite && !item.id.startsWith("new-") ? (
                <span className="flex shrink-0 gap-0.5">
                  <IconButton label={`Make “${item.text}” a task`} size="sm" onClick={() => void promote(item)}>
                    <ArrowUpRight className="size-3.5" aria-hidden="true" />
                  </IconButton>
                  <IconButton label={`Remove “${item.text}”`} size="sm" onClick={() => void remove(item)}>
                    <Trash className="size-3.5" aria-hidden="true" />
                  </IconButton>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canWrite ? (
        <form onSubmit={(event) => void add(event)}>
          <label htmlFor={`${id}-new`} className="sr-only">
            Add a checklist item
          </label>
          <input id={`${id}-new`} value={text} onChange={(e) => setText(e.target.value)} maxLength={500} placeholder="Add an item…" className="h-8 w-full" />
        </form>
      ) : null}
    </section>
  );
}
