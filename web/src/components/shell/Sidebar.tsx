"use client";
// Where you can go: Inbox, Assigned to me, Search, Stats, Invitations, and every project with its number of
// open tasks (from GET /stats). On a phone this sits in a drawer behind the menu button.
import { ChartColumn, Inbox, MailOpen, PanelLeftClose, Plus, Search, UserRoundCheck } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { IconButton } from "@/components/ui/Button";
import { Skeleton, ErrorMessage } from "@/components/ui/Status";
import { cx } from "@/components/ui/cx";
import { errorMessage } from "@/lib/api/errors";
import type { Counts } from "@/lib/api/types";
import { openTasks } from "@/lib/counts";
import { projectHref, useProjects, useStats } from "@/lib/queries";
import { Logo } from "./Logo";
import { NewProjectDialog } from "./lazy";
import { ProjectMenu } from "./ProjectMenu";

function openCount(counts: Counts | undefined): number | undefined {
  return counts ? openTasks(counts) : undefined;
}

function NavLink({ href, icon, children, count, current }: { href: string; icon?: ReactNode; children: ReactNode; count?: number; current: boolean }) {
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={cx(
        "flex min-w-0 flex-1 items-center gap-2 rounded-md px-2 py-1.5 text-fg hover:bg-subtle",
        current && "bg-selected font-medium",
      )}
    >
      {icon ? <span className="text-muted" aria-hidden="true">{icon}</span> : null}
      <span className="min-w-0 flex-1 truncate">{children}</span>
      {count ? (
        <span className="text-xs tabular-nums text-muted">
          {count}
          <span className="sr-only"> open</span>
        </span>
      ) : null}
    </Link>
  );
}

export function Sidebar({ onCollapse, onNavigate }: { onCollapse?: () => void; onNavigate?: () => void }) {
  const pathname = usePathname();
  const projects = useProjects();
  const stats = useStats();
  const [creating, setCreating] = useState(false);
  const counts = new Map(stats.data?.projects.map((p) => [p.project_id, p.counts]));
  const inbox = projects.data?.find((p) => p.is_inbox);
  // Archived projects are read-only and kept out of the sidebar (their page still opens).
  const others = projects.data?.filter((p) => !p.is_inbox && !p.archived_at) ?? [];
  const archivedProjects = projects.data?.filter((p) => p.archived_at) ?? [];
  const at = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  return (
    <div className="flex h-full flex-col gap-4 overflow-y-auto p-3" onClickCapture={(e) => (e.target as HTMLElement).closest("a") && onNavigate?.()}>
      <div className="flex items-center justify-between gap-2 px-1">
        <Link href="/projects/inbox" className="flex items-center gap-2 font-semibold">
          <Logo className="size-6" />
          Tasklane
        </Link>
        {onCollapse ? (
          <IconButton label="Hide the sidebar" size="sm" onClick={onCollapse}>
            <PanelLeftClose className="size-4" aria-hidden="true" />
          </IconButton>
        ) : null}
      </div>
      <nav aria-label="Main" className="space-y-0.5">
        <NavLink href="/projects/inbox" icon={<Inbox className="size-4" />} count={openCount(inbox && counts.get(inbox.id))} current={at("/projects/inbox") || (inbox !== undefined && at(`/projects/${inbox.id}`))}>
          Inbox
        </NavLink>
        <NavLink href="/assigned" icon={<UserRoundCheck className="size-4" />} current={at("/assigned")}>
          Assigned to me
        </NavLink>
        <NavLink href="/search" icon={<Search className="size-4" />} current={at("/search")}>
          Search
        </NavLink>
        <NavLink href="/stats" icon={<ChartColumn className="size-4" />} current={at("/stats")}>
          Stats
        </NavLink>
        <NavLink href="/invitations" icon={<MailOpen className="size-4" />} current={at("/invitations")}>
          Invitations
        </NavLink>
      </nav>
      <nav aria-labelledby="projects-heading" className="space-y-0.5">
        <div className="flex items-center justify-between px-2">
          <h2 id="projects-heading" className="text-xs font-semibold uppercase tracking-wide text-muted">
            Projects
          </h2>
          <IconButton label="New project" size="sm" onClick={() => setCreating(true)}>
            <Plus className="size-4" aria-hidden="true" />
          </IconButton>
        </div>
        {projects.isPending ? <Skeleton rows={3} label="Loading projects" /> : null}
        <ErrorMessage error={projects.error ? errorMessage(projects.error) : null} />
        <ul className="space-y-0.5">
          {others.map((project) => (
            <li key={project.id} className="group flex items-center gap-0.5">
              <NavLink href={projectHref(project)} count={openCount(counts.get(project.id))} current={at(projectHref(project))}>
                {project.name}
              </NavLink>
              <ProjectMenu project={project} className="opacity-100 md:opacity-0 md:group-focus-within:opacity-100 md:group-hover:opacity-100 md:data-[state=open]:opacity-100" />
            </li>
          ))}
        </ul>
        {archivedProjects.length ? (
          <details className="px-2 pt-1 text-muted" data-testid="archived-projects">
            <summary className="cursor-pointer text-xs">Archived ({archivedProjects.length})</summary>
            <ul className="space-y-0.5 pt-1">
              {archivedProjects.map((project) => (
                <li key={project.id}>
                  <Link href={projectHref(project)} className="block truncate rounded px-2 py-1 text-muted hover:bg-subtle hover:text-fg">
                    {project.name}
                  </Link>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        {projects.data && others.length === 0 ? (
          <p className="px-2 py-1 text-muted">
            No projects yet.{" "}
            <button type="button" className="font-medium text-accent hover:underline" onClick={() => setCreating(true)}>
              Create one
            </button>{" "}
            to share tasks with your team.
          </p>
        ) : null}
      </nav>
      {creating ? <NewProjectDialog open onOpenChange={setCreating} /> : null}
    </div>
  );
}
