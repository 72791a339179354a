"use client";
// A project's feed: every change of its tasks, comments, files and members, newest first.
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useParams } from "next/navigation";
import { ActivityPanel } from "@/components/drawer/ActivityPanel";
import { PageTitle } from "@/components/ui/PageTitle";
import { ErrorMessage, Skeleton } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import { findProject, projectHref, useMe, useMembers, useProjects } from "@/lib/queries";
import { useUser } from "@/lib/session";

export default function ActivityPage() {
  const { id } = useParams<{ id: string }>();
  const user = useUser();
  const me = useMe();
  const projects = useProjects();
  const project = findProject(projects.data, id);
  const members = useMembers(project);
  if (projects.isPending) return <Skeleton rows={3} label="Loading the project" />;
  if (!project) return <ErrorMessage error={projects.error ? errorMessage(projects.error) : "Not found, or you no longer have access to it."} />;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <PageTitle title={`Activity in ${project.name}`} />
      <Link href={projectHref(project)} className="inline-flex items-center gap-1 text-muted hover:text-fg">
        <ArrowLeft className="size-4" aria-hidden="true" /> {project.name}
      </Link>
      <h1 className="text-xl font-semibold">Activity in {project.name}</h1>
      <ActivityPanel projectId={project.id} members={members} me={{ id: user.id, name: me.data?.display_name ?? "You" }} timeZone={me.data?.time_zone ?? "UTC"} />
    </div>
  );
}
