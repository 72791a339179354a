"use client";
// /tasks/<id> (links in e-mails and notifications): the task opens in its project's drawer.
import { useParams, useRouter } from "next/navigation";
import { useEffect } from "react";
import { ErrorMessage, Skeleton } from "@/components/ui/Status";
import { PageTitle } from "@/components/ui/PageTitle";
import { errorMessage } from "@/lib/api/errors";
import { projectHref, useProjects } from "@/lib/queries";
import { useTask } from "@/lib/tasks/queries";

export default function TaskPage() {
  const { id } = useParams<{ id: string }>();
  const router = useRouter();
  const task = useTask(id);
  const projects = useProjects();
  const project = projects.data?.find((p) => p.id === task.data?.project_id);
  useEffect(() => {
    if (project) router.replace(`${projectHref(project)}?task=${encodeURIComponent(id)}`);
  }, [project, id, router]);
  const error = task.error ?? projects.error;
  return (
    <>
      <PageTitle title="Task" />
      {error ? <ErrorMessage error={errorMessage(error)} /> : <Skeleton rows={4} label="Opening the task" />}
    </>
  );
}
