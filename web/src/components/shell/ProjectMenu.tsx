"use client";
// A project's actions in one menu (rename, members, delete) instead of buttons on every row.
// What the user's role does not allow is shown disabled, with the reason.
import { Ellipsis, Pencil, Trash, Users } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { IconButton } from "@/components/ui/Button";
import { item, label, Menu, separator } from "@/components/ui/Menu";
import type { Project } from "@/lib/api/types";
import { DeleteProjectDialog, RenameProjectDialog } from "./lazy";

export function ProjectMenu({ project, className }: { project: Project; className?: string }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<"rename" | "delete" | null>(null);
  if (project.is_inbox) return null;
  const owner = project.role === "owner";
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
          item("Rename", () => setDialog("rename"), { icon: <Pencil className="size-4" />, disabled: !owner }),
          separator(),
          item("Delete project", () => setDialog("delete"), { icon: <Trash className="size-4" />, disabled: !owner, danger: true }),
          ...(owner ? [] : [label("Only the owner can rename or delete it.")]),
        ]}
      />
      {dialog === "rename" ? <RenameProjectDialog project={project} open onOpenChange={(open) => setDialog(open ? "rename" : null)} /> : null}
      {dialog === "delete" ? <DeleteProjectDialog project={project} open onOpenChange={(open) => setDialog(open ? "delete" : null)} /> : null}
    </>
  );
}
