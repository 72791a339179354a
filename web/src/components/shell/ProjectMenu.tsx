"use client";
// A project's actions in one menu (members, activity, trash, webhooks, export, rename,
// archive, delete) instead of buttons on every row.
// What the user's role does not allow is shown disabled, with the reason.
import { useQueryClient } from "@tanstack/react-query";
import { Archive, ArchiveRestore, Ellipsis, FileArchive, History, Pencil, Trash, Trash2, Users, Webhook } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { IconButton } from "@/components/ui/Button";
import { item, label, Menu, separator } from "@/components/ui/Menu";
import { errorMessage } from "@/lib/api/errors";
import { EXPORTS_PATH, WEBHOOKS_PATH } from "@/lib/exchange/queries";
import { useStartExport } from "@/lib/exchange/start-export";
import type { Project } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { useApi, useFeature } from "@/lib/session";
import { toast, toastError } from "@/lib/toast";
import { DeleteProjectDialog, RenameProjectDialog } from "./lazy";

export function ProjectMenu({ project, className }: { project: Project; className?: string }) {
  const router = useRouter();
  const api = useApi();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<"rename" | "delete" | null>(null);
  const exports = useFeature(EXPORTS_PATH);
  const webhooks = useFeature(WEBHOOKS_PATH);
  const { start: startExport } = useStartExport();
  if (project.is_inbox) return null;
  const owner = project.role === "owner";
  const archived = Boolean(project.archived_at);
  /** Archived: read-only and out of the sidebar; unarchived: back. */
  const setArchived = async (archive: boolean) => {
    try {
      await (archive ? api.archiveProject(project.id) : api.unarchiveProject(project.id));
      await client.invalidateQueries({ queryKey: keys.projects });
      toast({ title: archive ? `Archived ${project.name}` : `${project.name} is back`, description: archive ? "Read-only, and out of the sidebar." : undefined });
      if (archive) router.push("/projects/inbox");
    } catch (caught) {
      toastError(`Could not ${archive ? "archive" : "unarchive"} ${project.name}`, errorMessage(caught));
    }
  };
  /** The export runs in the background: its page shows the progress, then the download. */
  const exportProject = async () => {
    try {
      const job = await startExport(project.id);
      router.push(`/exports/${job.id}`);
    } catch (caught) {
      toastError(`Could not export ${project.name}`, errorMessage(caught));
    }
  };
  return (
    <>
      <Menu
        trigger={
          <IconButton label={`Actions for ${project.name}`} size="sm" className={className}>
            <Ellipsis className="size-4" aria-hidden="true" />
          </IconButton>
        }
        items={[
          item("Members and sharing", () => router.push(`/projects/${project.id}/members`), { icon: <Users className="size-4" /> }),
          item("Activity", () => router.push(`/projects/${project.id}/activity`), { icon: <History className="size-4" /> }),
          item("Trash", () => router.push(`/projects/${project.id}/trash`), { icon: <Trash2 className="size-4" /> }),
          ...(webhooks ? [item("Webhooks", () => router.push(`/projects/${project.id}/webhooks`), { icon: <Webhook className="size-4" />, disabled: !owner })] : []),
          ...(exports ? [item("Export project", () => void exportProject(), { icon: <FileArchive className="size-4" /> })] : []),
          item("Rename", () => setDialog("rename"), { icon: <Pencil className="size-4" />, disabled: !owner }),
          archived
            ? item("Unarchive", () => void setArchived(false), { icon: <ArchiveRestore className="size-4" />, disabled: !owner })
            : item("Archive", () => void setArchived(true), { icon: <Archive className="size-4" />, disabled: !owner }),
          separator(),
          item("Delete project", () => setDialog("delete"), { icon: <Trash className="size-4" />, disabled: !owner, danger: true }),
          ...(owner ? [] : [label(`Only the owner can rename, archive or delete it${webhooks ? " or manage its webhooks" : ""}.`)]),
        ]}
      />
      {dialog === "rename" ? <RenameProjectDialog project={project} open onOpenChange={(open) => setDialog(open ? "rename" : null)} /> : null}
      {dialog === "delete" ? <DeleteProjectDialog project={project} open onOpenChange={(open) => setDialog(open ? "delete" : null)} /> : null}
    </>
  );
}
