"use client";
// Create, rename and delete a project (dialogs opened from the sidebar and the project menu).
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/Button";
import { Modal } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { Project } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { projectHref } from "@/lib/queries";
import { useApi } from "@/lib/session";
import { toast } from "@/lib/toast";

function NameDialog({ open, onOpenChange, title, submitLabel, initial, onSubmit }: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  submitLabel: string;
  initial: string;
  onSubmit: (name: string) => Promise<void>;
}) {
  const id = useId();
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError("A project needs a name.");
      return;
    }
    setPending(true);
    try {
      await onSubmit(name.trim());
      onOpenChange(false);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  };
  return (
    <Modal open={open} onOpenChange={onOpenChange} title={title}>
      <form onSubmit={submit} className="space-y-3">
        <label htmlFor={id} className="block text-sm font-medium">
          Name
        </label>
        <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} className="w-full" autoComplete="off" />
        <ErrorMessage error={error} />
        <div className="flex justify-end gap-2">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {submitLabel}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

export function NewProjectDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const api = useApi();
  const client = useQueryClient();
  const router = useRouter();
  return open ? (
    <NameDialog
      open
      onOpenChange={onOpenChange}
      title="New project"
      submitLabel="Create project"
      initial=""
      onSubmit={async (name) => {
        const project = await api.createProject(name);
        client.setQueryData<Project[]>(keys.projects, (list) => [...(list ?? []), project]);
        void client.invalidateQueries({ queryKey: keys.stats });
        router.push(projectHref(project));
      }}
    />
  ) : null;
}

export function RenameProjectDialog({ project, open, onOpenChange }: { project: Project; open: boolean; onOpenChange: (open: boolean) => void }) {
  const api = useApi();
  const client = useQueryClient();
  return open ? (
    <NameDialog
      open
      onOpenChange={onOpenChange}
      title={`Rename ${project.name}`}
      submitLabel="Rename"
      initial={project.name}
      onSubmit={async (name) => {
        const renamed = await api.renameProject(project.id, name);
        client.setQueryData<Project[]>(keys.projects, (list) => list?.map((p) => (p.id === project.id ? renamed : p)));
        void client.invalidateQueries({ queryKey: keys.stats });
      }}
    />
  ) : null;
}

export function DeleteProjectDialog({ project, open, onOpenChange }: { project: Project; open: boolean; onOpenChange: (open: boolean) => void }) {
  const api = useApi();
  const client = useQueryClient();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const remove = async () => {
    setPending(true);
    try {
      await api.deleteProject(project.id);
      client.setQueryData<Project[]>(keys.projects, (list) => list?.filter((p) => p.id !== project.id));
      client.removeQueries({ queryKey: keys.projectTasks(project.id) });
      void client.invalidateQueries({ queryKey: keys.stats });
      onOpenChange(false);
      toast({ title: `Deleted ${project.name}` });
      if (window.location.pathname.startsWith(`/projects/${project.id}`)) router.push("/projects/inbox");
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  };
  return (
    <Modal open={open} onOpenChange={onOpenChange} title={`Delete ${project.name}?`} description="The project and all its tasks, comments and attachments are deleted for every member. This cannot be undone.">
      <ErrorMessage error={error} className="mb-3" />
      <div className="flex justify-end gap-2">
        <Button onClick={() => onOpenChange(false)}>Cancel</Button>
        <Button variant="danger" onClick={remove} disabled={pending}>
          Delete project
        </Button>
      </div>
    </Modal>
  );
}
