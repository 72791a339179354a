"use client";
// A project's trash: what was deleted, by whom, when it goes for good; restore (owners and
// editors) or delete for good. Deleted tasks wait here for the API's retention (30 days).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, RotateCcw, Trash2 } from "lucide-react";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { EmptyState, ErrorMessage, Skeleton } from "@/components/ui/Status";
import { collectAll } from "@/lib/api/client";
import { errorMessage } from "@/lib/api/errors";
import type { Task } from "@/lib/api/types";
import { formatDateTime, relativeDateTime } from "@/lib/dates";
import { personOf } from "@/lib/people";
import { keys } from "@/lib/query/keys";
import { findProject, projectHref, useMe, useMembers, useProjects } from "@/lib/queries";
import { useApi, useUser } from "@/lib/session";
import { toast } from "@/lib/toast";
import { upsertTask } from "@/lib/tasks/cache";

export default function TrashPage() {
  const { id } = useParams<{ id: string }>();
  const api = useApi();
  const client = useQueryClient();
  const user = useUser();
  const me = useMe();
  const projects = useProjects();
  const project = findProject(projects.data, id);
  const members = useMembers(project);
  const [problem, setProblem] = useState<string | null>(null);
  const projectId = project?.id ?? "";
  const trash = useQuery({
    queryKey: keys.trash(projectId),
    queryFn: () => collectAll(async (cursor) => { const page = await api.listTrash(projectId, cursor); return { items: page.items, next_cursor: page.next_cursor }; }),
    enabled: Boolean(projectId),
  });
  if (projects.isPending) return <Skeleton rows={3} label="Loading the project" />;
  if (!project) return <ErrorMessage error={projects.error ? errorMessage(projects.error) : "Not found, or you no longer have access to it."} />;
  const timeZone = me.data?.time_zone ?? "UTC";
  const canWrite = project.role !== "viewer" && !project.archived_at;
  const meInfo = { id: user.id, name: me.data?.display_name ?? "You" };
  const settle = (task: Task) => {
    client.setQueryData<Task[]>(keys.trash(projectId), (list) => list?.filter((t) => t.id !== task.id));
    void client.invalidateQueries({ queryKey: keys.trash(projectId) });
  };
  const restore = async (task: Task) => {
    try {
      const back = await api.restoreTask(task.id);
      settle(task);
      upsertTask(client, back);
      void client.invalidateQueries({ queryKey: keys.projectTasks(projectId) });
      toast({ title: "Restored", description: back.title });
      setProblem(null);
    } catch (caught) {
      setProblem(errorMessage(caught));
    }
  };
  const purge = async (task: Task) => {
    try {
      await api.deleteForGood(task.id);
      settle(task);
      setProblem(null);
    } catch (caught) {
      setProblem(errorMessage(caught));
    }
  };
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <PageTitle title={`Trash of ${project.name}`} />
      <Link href={projectHref(project)} className="inline-flex items-center gap-1 text-muted hover:text-fg">
        <ArrowLeft className="size-4" aria-hidden="true" /> {project.name}
      </Link>
      <h1 className="text-xl font-semibold">Trash of {project.name}</h1>
      <p className="text-muted">Deleted tasks stay here, with their comments, files and checklist, until they are deleted for good.</p>
      <ErrorMessage error={problem ?? (trash.error ? errorMessage(trash.error) : null)} />
      {trash.isPending ? <Skeleton rows={2} label="Loading the trash" /> : null}
      {trash.data && trash.data.length === 0 ? (
        <EmptyState icon={<Trash2 className="size-6" aria-hidden="true" />} title="The trash is empty">
          Deleted tasks of this project appear here.
        </EmptyState>
      ) : null}
      {trash.data?.length ? (
        <ul className="divide-y divide-line" aria-label="Deleted tasks">
          {trash.data.map((task) => {
            const by = task.deleted_by ? personOf(task.deleted_by, members, meInfo) : null;
            return (
              <li key={task.id} data-testid="trashed" className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5">
                <div className="min-w-48 flex-1">
                  <p className="font-medium [overflow-wrap:anywhere]">{task.title}</p>
                  <p className="text-xs text-muted">
                    Deleted by {task.deleted_by === user.id ? "you" : (by?.name ?? "someone")}{" "}
                    {task.deleted_at ? <time dateTime={task.deleted_at} title={formatDateTime(task.deleted_at, timeZone)}>{relativeDateTime(task.deleted_at, timeZone)}</time> : null}
                    {task.purge_at ? <> · gone for good {relativeDateTime(task.purge_at, timeZone)}</> : null}
                  </p>
                </div>
                {canWrite ? (
                  <span className="flex gap-1">
                    <Button size="sm" onClick={() => void restore(task)}>
                      <RotateCcw className="size-3.5" aria-hidden="true" /> Restore
                    </Button>
                    <ConfirmButton label={`Delete “${task.title}” for good`} question="Delete it for good? This cannot be undone." onConfirm={() => purge(task)}>
                      <Trash2 className="size-3.5" aria-hidden="true" />
                    </ConfirmButton>
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
