"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useMemo, useState } from "react";
import { TaskFiltersBar, NO_FILTERS, type FilterState } from "@/components/TaskFiltersBar";
import { TaskForm } from "@/components/TaskForm";
import { TaskList } from "@/components/TaskList";
import { ErrorMessage, Skeleton } from "@/components/Status";
import { errorMessage } from "@/lib/api";
import { useDebounced, usePaged } from "@/lib/hooks";
import { useMembers } from "@/lib/members";
import { useTimeZone } from "@/lib/profile";
import { findProject, useProjects } from "@/lib/projects";
import { useApi } from "@/lib/session";
import { dueRange } from "@/lib/tasks";
import type { Task, TaskFilters, TaskInput } from "@/lib/types";

function ProjectView({ id }: { id: string }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const projects = useProjects();
  const project = findProject(projects.data, id);
  const { members } = useMembers(project && !project.is_inbox ? project.id : undefined);
  const [filters, setFilters] = useState<FilterState>(NO_FILTERS);
  const [createError, setCreateError] = useState<string | null>(null);
  const label = useDebounced(filters.label.trim());
  const query: TaskFilters = {
    status: filters.status || undefined,
    priority: filters.priority || undefined,
    label: label || undefined,
    sort: filters.sort,
    order: filters.order,
  };
  const key = JSON.stringify([id, query, filters.due]);
  const tasks = usePaged<Task>((cursor) => api.listTasks(id, { ...query, ...dueRange(filters.due) }, cursor), key);
  const labels = useMemo(() => [...new Set(tasks.items.flatMap((t) => t.labels))].sort(), [tasks.items]);

  const create = async (input: TaskInput) => {
    try {
      const task = await api.createTask(id, input);
      tasks.update((list) => [task, ...list]);
      setCreateError(null);
      return true;
    } catch (error) {
      setCreateError(errorMessage(error));
      return false;
    }
  };

  if (projects.loading && !projects.data) return <Skeleton rows={5} label="Loading the project" />;
  if (!project) return <ErrorMessage error={projects.error ?? "Not found, or you no longer have access to it."} />;
  const canWrite = project.role !== "viewer";
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>{project.name}</h1>
        {project.is_inbox ? null : <Link href={`/projects/${project.id}/members`}>Members and sharing</Link>}
      </div>
      {canWrite ? (
        <section aria-labelledby="new-task">
          <h2 id="new-task">New task</h2>
          <TaskForm timeZone={timeZone} labelSuggestions={labels} members={members} submitLabel="Add task" onSubmit={create} />
          <ErrorMessage error={createError} />
        </section>
      ) : (
        <p className="notice">You can view this project but not change it.</p>
      )}
      <section aria-labelledby="task-list">
        <h2 id="task-list">Tasks</h2>
        <TaskFiltersBar value={filters} onChange={setFilters} labels={labels} />
        <TaskList paged={tasks} timeZone={timeZone} members={members} empty="No tasks here yet." />
      </section>
    </>
  );
}

export default function ProjectPage() {
  const { id } = useParams<{ id: string }>();
  // Keyed: another project starts with fresh filters and an empty form.
  return <ProjectView key={id} id={id} />;
}
