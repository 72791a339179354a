"use client";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { AttachmentsPanel } from "@/components/AttachmentsPanel";
import { CommentsPanel } from "@/components/CommentsPanel";
import { ConfirmButton } from "@/components/ConfirmButton";
import { ErrorMessage, Skeleton } from "@/components/Status";
import { TaskBadges } from "@/components/TaskItem";
import { TaskForm } from "@/components/TaskForm";
import { ApiError, errorMessage } from "@/lib/api";
import { useLoad } from "@/lib/hooks";
import { memberName, useMembers } from "@/lib/members";
import { useTimeZone } from "@/lib/profile";
import { findProject, useProjects } from "@/lib/projects";
import { useApi } from "@/lib/session";
import { taskChanges } from "@/lib/tasks";
import type { TaskInput } from "@/lib/types";

function TaskView({ id }: { id: string }) {
  const api = useApi();
  const router = useRouter();
  const timeZone = useTimeZone();
  const task = useLoad(() => api.getTask(id), `task:${id}`);
  const project = findProject(useProjects().data, task.data?.project_id ?? "");
  const { members } = useMembers(project && !project.is_inbox ? project.id : undefined);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);

  const fail = (caught: unknown) => {
    setError(errorMessage(caught));
    setStale(caught instanceof ApiError && caught.status === 412);
  };
  const save = async (input: TaskInput) => {
    const current = task.data;
    if (!current) return false;
    const changes = taskChanges(current, input);
    if (Object.keys(changes).length === 0) {
      setEditing(false);
      return true;
    }
    try {
      const saved = await api.updateTask(current.id, current.version, changes);
      task.setData(() => saved);
      setEditing(false);
      setError(null);
      return true;
    } catch (caught) {
      fail(caught);
      return false;
    }
  };
  const remove = async () => {
    const current = task.data;
    if (!current) return;
    try {
      await api.deleteTask(current.id, current.version);
      router.push(`/projects/${project?.is_inbox ? "inbox" : current.project_id}`);
    } catch (caught) {
      fail(caught);
    }
  };
  const reload = () => {
    setError(null);
    setStale(false);
    setEditing(false);
    task.reload();
  };

  if (task.loading && !task.data) return <Skeleton rows={6} label="Loading the task" />;
  if (!task.data) return <ErrorMessage error={task.error} />;
  const current = task.data;
  const canWrite = project?.role !== "viewer";
  return (
    <article>
      <p>
        <Link href={`/projects/${project?.is_inbox ? "inbox" : current.project_id}`}>← {project?.name ?? "Project"}</Link>
      </p>
      <h1>{current.title}</h1>
      <TaskBadges task={current} timeZone={timeZone} assigneeName={memberName(members, current.assignee_id)} />
      <ErrorMessage error={error} />
      {stale ? (
        <button type="button" onClick={reload}>
          Reload the task
        </button>
      ) : null}
      {editing ? (
        <TaskForm
          key={current.version}
          task={current}
          timeZone={timeZone}
          labelSuggestions={current.labels}
          members={members}
          submitLabel="Save"
          onSubmit={save}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          {current.description ? <p style={{ whiteSpace: "pre-wrap" }}>{current.description}</p> : <p className="hint">No description.</p>}
          {canWrite ? (
            <div className="row">
              <button type="button" onClick={() => setEditing(true)}>
                Edit
              </button>
              <ConfirmButton label="Delete task" question={`Delete “${current.title}”?`} onConfirm={remove} />
            </div>
          ) : null}
        </>
      )}
      <AttachmentsPanel taskId={current.id} canWrite={canWrite} />
      <CommentsPanel taskId={current.id} canWrite={canWrite} isOwner={project?.role === "owner"} members={members} timeZone={timeZone} />
    </article>
  );
}

export default function TaskPage() {
  const { id } = useParams<{ id: string }>();
  return <TaskView key={id} id={id} />;
}
