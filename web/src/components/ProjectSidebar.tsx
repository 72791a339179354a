"use client";
// Projects: Inbox first, create, rename, delete (with confirmation).
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { errorMessage } from "@/lib/api";
import { useProjects } from "@/lib/projects";
import { useApi } from "@/lib/session";
import type { Project } from "@/lib/types";
import { ConfirmButton } from "./ConfirmButton";
import { ErrorMessage, Skeleton } from "./Status";

function NameForm({ label, initial, submitLabel, onSubmit, onCancel }: {
  label: string;
  initial: string;
  submitLabel: string;
  onSubmit: (name: string) => Promise<void>;
  onCancel?: () => void;
}) {
  const id = useId();
  const [name, setName] = useState(initial);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    setPending(true);
    await onSubmit(name.trim());
    setPending(false);
    setName(initial);
  };
  return (
    <form onSubmit={submit} className="row">
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <input id={id} value={name} placeholder={label} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      <button type="submit" disabled={pending}>
        {submitLabel}
      </button>
      {onCancel ? (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </form>
  );
}

function ProjectItem({ project, onError }: { project: Project; onError: (message: string | null) => void }) {
  const api = useApi();
  const { setData } = useProjects();
  const pathname = usePathname();
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const href = `/projects/${project.is_inbox ? "inbox" : project.id}`;
  const replace = (next: Project | null) =>
    setData((list) => (next ? list?.map((p) => (p.id === project.id ? next : p)) : list?.filter((p) => p.id !== project.id)));
  const rename = async (name: string) => {
    try {
      replace(await api.renameProject(project.id, name));
      setRenaming(false);
      onError(null);
    } catch (error) {
      onError(errorMessage(error));
    }
  };
  const remove = async () => {
    try {
      await api.deleteProject(project.id);
      replace(null);
      onError(null);
      if (pathname.startsWith(`/projects/${project.id}`)) router.push("/projects/inbox");
    } catch (error) {
      onError(errorMessage(error));
    }
  };
  if (renaming) {
    return (
      <li>
        <NameForm label={`New name for ${project.name}`} initial={project.name} submitLabel="Save" onSubmit={rename} onCancel={() => setRenaming(false)} />
      </li>
    );
  }
  const editable = !project.is_inbox && project.role === "owner";
  return (
    <li>
      <Link href={href} aria-current={pathname === href ? "page" : undefined}>
        {project.name}
      </Link>
      {editable ? (
        <>
          <button type="button" onClick={() => setRenaming(true)} aria-label={`Rename ${project.name}`}>
            Rename
          </button>
          <ConfirmButton
            label="Delete"
            question={`Delete ${project.name} and all its tasks?`}
            onConfirm={remove}
          />
        </>
      ) : null}
    </li>
  );
}

export function ProjectSidebar() {
  const api = useApi();
  const router = useRouter();
  const { data: projects, error, loading, setData } = useProjects();
  const [actionError, setActionError] = useState<string | null>(null);
  const create = async (name: string) => {
    try {
      const project = await api.createProject({ name });
      setData((list) => [...(list ?? []), project]);
      setActionError(null);
      router.push(`/projects/${project.id}`);
    } catch (caught) {
      setActionError(errorMessage(caught));
    }
  };
  return (
    <nav className="sidebar" aria-label="Projects">
      <h2>Projects</h2>
      {loading && !projects ? <Skeleton rows={3} label="Loading projects" /> : null}
      <ErrorMessage error={error ?? actionError} />
      <ul>
        {projects?.map((project) => (
          <ProjectItem key={project.id} project={project} onError={setActionError} />
        ))}
      </ul>
      <h3 className="visually-hidden">New project</h3>
      <NameForm label="New project name" initial="" submitLabel="Add project" onSubmit={create} />
    </nav>
  );
}
