"use client";
// A project's actions in one menu (members, activity, trash, rename, archive, delete) instead
// of buttons on every row.
// What the user's role does not allow is shown disabled, with the reason.
import { useQueryClient } from "@tanstack/react-query";
import { Archive, ArchiveRestore, Ellipsis, History, Pencil, Trash, Trash2, Users } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { IconButton } from "@/components/ui/Button";
import { item, label, Menu, separator } from "@/components/ui/Menu";
import { errorMessage } from "@/lib/api/errors";
import type { Project } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { useApi } from "@/lib/session";
import { toast, toastError } from "@/lib/toast";
import { DeleteProjectDialog, RenameProjectDialog } from "./lazy";

export function ProjectMenu({ project, className }: { project: Project; className?: string }) {
  const router = useRouter();
  const api = useApi();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<"rename" | "delete" | null>(null);
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
          item("Rename", () => setDialog("rename"), { icon: <Pencil className="size-4" />, disabled: !owner }),
          archived
            ? item("Unarchive", () => void setArchived(false), { icon: <ArchiveRestore className="size-4" />, disabled: !owner })
            : item("Archive", () => void setArchived(true), { icon: <Archive className="size-4" />, disabled: !owner }),
          separator(),
          item("Delete project", () => setDialog("delete"), { icon: <Trash className="size-4" />, disabled: !owner, danger: true }),
          ...(owner ? [] : [label("Only the owner can rename, archive or delete it.")]),
        ]}
      />
      {dialog === "rename" ? <RenameProjectDialog project={project} open onOpenChange={(open) => setDialog(open ? "rename" : null)} /> : null}
      {dialog === "delete" ? <DeleteProjectDialog project={project} open onOpenChange={(open) => setDialog(open ? "delete" : null)} /> : null}
    </>
  );
}
