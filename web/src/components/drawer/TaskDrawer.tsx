"use client";
// The task drawer (its own URL: ?task=<id>, shareable and reloadable): every field edited in
// place and saved as you go, attachments, comments. When someone else changed the task first
// (412) nothing typed is thrown away: both versions are shown and the user chooses.
import { useQueryClient } from "@tanstack/react-query";
import { Link2, Trash, X } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { Avatar } from "@/components/ui/Avatar";
import { Button, IconButton } from "@/components/ui/Button";
import { Sheet } from "@/components/ui/Dialog";
import { ErrorMessage, Notice, Skeleton } from "@/components/ui/Status";
import { PageTitle } from "@/components/ui/PageTitle";
import { PRIORITY_LABELS, STATUS_LABELS } from "@/components/tasks/TaskMeta";
import { errorMessage } from "@/lib/api/errors";
import { PRIORITIES, STATUSES, type Member, type NotificationPage, type Priority, type Project, type Status, type Task, type TaskPatch } from "@/lib/api/types";
import { formatDateTime, relativeDateTime } from "@/lib/dates";
import { memberPerson, personOf } from "@/lib/people";
import { describeChange } from "@/lib/live/messages";
import { useChangeNotices, useLiveProject } from "@/lib/live/provider";
import { keys } from "@/lib/query/keys";
import { useMe } from "@/lib/queries";
import { useApi, useUser } from "@/lib/session";
import { toast } from "@/lib/toast";
import { EditConflict } from "@/lib/tasks/actions";
import { useTaskActions } from "@/lib/tasks/provider";
import { useTask } from "@/lib/tasks/queries";
import { ActivityPanel } from "./ActivityPanel";
import { AttachmentsPanel } from "./AttachmentsPanel";
import { ChecklistPanel } from "./ChecklistPanel";
import { CommentsPanel } from "./CommentsPanel";
import { DueField } from "./DueField";
import { RepeatField } from "./RepeatField";
import { DescriptionField, LabelsField, Property, TitleField } from "./fields";

interface Props {
  taskId: string;
  project: Project;
  members: readonly Member[] | null;
  canWrite: boolean;
  timeZone: string;
  onClose: () => void;
}

interface Conflict {
  patch: TaskPatch;
  latest: Task;
}

const FIELD_NAMES: Record<string, string> = {
  title: "Title",
  description: "Description",
  status: "Status",
  priority: "Priority",
  due_at: "Due",
  labels: "Labels",
  assignee_id: "Assignee",
};

function describe(field: string, value: unknown, timeZone: string, members: readonly Member[] | null): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (field === "due_at") return formatDateTime(String(value), timeZone);
  if (field === "status") return STATUS_LABELS[value as Status];
  if (field === "priority") return PRIORITY_LABELS[value as Priority];
  if (field === "labels") return (value as string[]).map((l) => `#${l}`).join(" ") || "(none)";
  if (field === "assignee_id") {
    const member = members?.find((m) => m.user_id === value);
    return member ? member.display_name || member.email : "someone";
  }
  return String(value);
}

function ConflictPanel({ conflict, timeZone, members, onKeepMine, onUseTheirs }: { conflict: Conflict; timeZone: string; members: readonly Member[] | null; onKeepMine: () => void; onUseTheirs: () => void }) {
  const fields = Object.keys(conflict.patch);
  return (
    <section role="alert" aria-labelledby="conflict-heading" className="space-y-2 rounded-lg border border-warn/50 bg-warn-soft p-3 text-fg">
      <h3 id="conflict-heading" className="font-semibold text-warn">
        Someone else changed this task while you were editing
      </h3>
      <p className="text-sm">Nothing you typed is lost. Choose which version to keep:</p>
      <div className="space-y-2">
        {fields.map((field) => (
          <div key={field} className="grid gap-1 sm:grid-cols-2">
            <div>
              <p className="text-xs font-semibold">Yours · {FIELD_NAMES[field] ?? field}</p>
              <p data-testid="conflict-mine" className="whitespace-pre-wrap rounded bg-raised p-1.5 text-sm [overflow-wrap:anywhere]">
                {describe(field, conflict.patch[field as keyof TaskPatch], timeZone, members)}
              </p>
            </div>
            <div>
              <p className="text-xs font-semibold">Theirs · {FIELD_NAMES[field] ?? field}</p>
              <p data-testid="conflict-theirs" className="whitespace-pre-wrap rounded bg-raised p-1.5 text-sm [overflow-wrap:anywhere]">
                {describe(field, conflict.latest[field as keyof Task], timeZone, members)}
              </p>
            </div>
          </div>
        ))}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" size="sm" onClick={onKeepMine}>
          Keep mine
        </Button>
        <Button size="sm" onClick={onUseTheirs}>
          Use theirs
        </Button>
      </div>
    </section>
  );
}

/** Opening a task reads its notices: they are marked read. */
function useMarkNoticesRead(taskId: string) {
  const api = useApi();
  const client = useQueryClient();
  const unread = client.getQueryData<NotificationPage>(keys.unread);
  const ids = unread?.items.filter((n) => n.task_id === taskId && !n.read_at).map((n) => n.id).join(",") ?? "";
  useEffect(() => {
    if (!ids) return;
    void Promise.allSettled(ids.split(",").map((id) => api.markRead(id))).then(() => {
      void client.invalidateQueries({ queryKey: keys.notifications });
    });
  }, [api, client, ids]);
}

export default function TaskDrawer({ taskId, project, members, canWrite, timeZone, onClose }: Props) {
  const id = useId();
  const user = useUser();
  const me = useMe();
  const actions = useTaskActions();
  const query = useTask(taskId);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [resetKey, setResetKey] = useState(0);
  useMarkNoticesRead(taskId);
  useLiveProject(project.id);
  // Someone else's change arrives live; what the user is typing stays in its field.
  const changes = useChangeNotices(taskId);
  const task = query.data;
  const meInfo = { id: user.id, name: me.data?.display_name ?? "You" };

  // While a conflict waits for "Keep mine" or "Use theirs", the text fields below show what
  // was typed (`conflict.patch`): a live update of the task must not replace it.
  const save = (patch: TaskPatch, version?: number) => {
    if (!task) return;
    actions.update(task, patch, { version }).then(
      () => setConflict(null),
      (error: unknown) => {
        if (error instanceof EditConflict) setConflict((c) => ({ patch: { ...c?.patch, ...error.patch }, latest: error.latest }));
      },
    );
  };
  /** Send what the user typed again, over the version now on the server. */
  const keepMine = () => {
    if (!conflict) return;
    setConflict(null);
    save(conflict.patch, conflict.latest.version);
  };
  const useTheirs = () => {
    if (conflict) actions.resolve(conflict.latest);
    setConflict(null);
    setResetKey((k) => k + 1);
  };
  const copyLink = async () => {
    await navigator.clipboard?.writeText(`${window.location.origin}/tasks/${taskId}`).catch(() => undefined);
    toast({ title: "Link copied", description: "Anyone in this project can open it." });
  };
  const remove = () => {
    if (!task) return;
    void actions.remove(task);
    onClose();
  };

  const creator = task ? personOf(task.created_by, members, meInfo) : null;
  const disabled = !canWrite;
  return (
    <Sheet open onOpenChange={(open) => !open && onClose()} title={task?.title ?? "Task"} hideTitle onOpenAutoFocus={(event) => event.preventDefault()}>
      {task ? <PageTitle title={task.title} /> : null}
      <div className="flex min-h-0 flex-1 flex-col" data-testid="task-drawer">
        <div className="flex items-center gap-1 border-b border-line px-3 py-2">
          <span className="min-w-0 flex-1 truncate text-muted">{project.name}</span>
          <IconButton label="Copy a link to this task" onClick={() => void copyLink()}>
            <Link2 className="size-4" aria-hidden="true" />
          </IconButton>
          {canWrite && task ? (
            <IconButton label="Delete task" onClick={remove}>
              <Trash className="size-4" aria-hidden="true" />
            </IconButton>
          ) : null}
          <IconButton label="Close" onClick={onClose}>
            <X className="size-4" aria-hidden="true" />
          </IconButton>
        </div>
        <div className="flex-1 space-y-5 overflow-y-auto px-4 py-4">
          {query.isPending && !task ? <Skeleton rows={6} label="Loading the task" /> : null}
          {!task && query.error ? <ErrorMessage error={errorMessage(query.error)} /> : null}
          {task ? (
            <>
              {disabled ? <Notice>You are a viewer in this project: you can read this task but not change it.</Notice> : null}
              {changes.map((change, n) => (
                <p key={n} role="status" data-testid="live-change" className="rounded-lg border border-line bg-raised p-2 text-sm">
                  {describeChange(personOf(change.actorId, members, meInfo)?.name ?? "Someone", change.fields)}
                </p>
              ))}
              {conflict ? <ConflictPanel conflict={conflict} timeZone={timeZone} members={members} onKeepMine={keepMine} onUseTheirs={useTheirs} /> : null}
              <TitleField value={conflict?.patch.title ?? task.title} onCommit={(title) => save({ title })} disabled={disabled} resetKey={resetKey} />
              <div className="space-y-1">
                <Property label="Status" htmlFor={`${id}-status`}>
                  <select id={`${id}-status`} value={task.status} onChange={(e) => save({ status: e.target.value as Status })} disabled={disabled} className="h-8 py-0">
                    {STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {STATUS_LABELS[s]}
                      </option>
                    ))}
                  </select>
                </Property>
                <Property label="Priority" htmlFor={`${id}-priority`}>
                  <select id={`${id}-priority`} value={task.priority} onChange={(e) => save({ priority: e.target.value as Priority })} disabled={disabled} className="h-8 py-0">
                    {PRIORITIES.map((p) => (
                      <option key={p} value={p}>
                        {PRIORITY_LABELS[p]}
                      </option>
                    ))}
                  </select>
                </Property>
                <DueField dueAt={task.due_at} timeZone={timeZone} onCommit={(due_at) => save({ due_at })} disabled={disabled} />
                <RepeatField task={task} timeZone={timeZone} disabled={disabled} onCommit={(patch) => save(patch)} />
                {members ? (
                  <Property label="Assignee" htmlFor={`${id}-assignee`}>
                    <select id={`${id}-assignee`} value={task.assignee_id ?? ""} onChange={(e) => save({ assignee_id: e.target.value || null })} disabled={disabled} className="h-8 max-w-full py-0">
                      <option value="">Nobody</option>
                      {members.map((m) => (
                        <option key={m.user_id} value={m.user_id}>
                          {memberPerson(m).name}
                        </option>
                      ))}
                    </select>
                  </Property>
                ) : null}
                <LabelsField labels={task.labels} onCommit={(labels) => save({ labels })} disabled={disabled} />
              </div>
              <DescriptionField value={conflict?.patch.description ?? task.description} onCommit={(description) => save({ description })} disabled={disabled} resetKey={resetKey} />
              <ChecklistPanel task={task} canWrite={canWrite} />
              <AttachmentsPanel taskId={task.id} canWrite={canWrite} />
              <CommentsPanel taskId={task.id} canWrite={canWrite} isOwner={project.role === "owner"} members={members} me={meInfo} timeZone={timeZone} />
              <ActivityPanel taskId={task.id} members={members} me={meInfo} timeZone={timeZone} />
              <p className="flex flex-wrap items-center gap-1.5 border-t border-line pt-3 text-xs text-muted">
                {creator ? <Avatar person={creator} size="sm" labelled={false} /> : null}
                Created by {creator?.id === user.id ? "you" : (creator?.name ?? "someone")}{" "}
                <time dateTime={task.created_at} title={formatDateTime(task.created_at, timeZone)}>
                  {relativeDateTime(task.created_at, timeZone)}
                </time>
                · updated{" "}
                <time dateTime={task.updated_at} title={formatDateTime(task.updated_at, timeZone)}>
                  {relativeDateTime(task.updated_at, timeZone)}
                </time>
              </p>
            </>
          ) : null}
        </div>
      </div>
    </Sheet>
  );
}
