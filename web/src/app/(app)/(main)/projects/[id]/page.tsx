"use client";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useParams, usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useCallback, useEffect, useMemo, useRef } from "react";
import { PageTitle } from "@/components/ui/PageTitle";
import { Avatar } from "@/components/ui/Avatar";
import { ErrorMessage, Notice, Skeleton } from "@/components/ui/Status";
import { ProjectMenu } from "@/components/shell/ProjectMenu";
import type { PageCommand } from "@/components/commands/CommandCenter";
import { ListView } from "@/components/tasks/ListView";
import { QuickAdd } from "@/components/tasks/QuickAdd";
import { ViewControls } from "@/components/tasks/ViewControls";
import { errorMessage } from "@/lib/api/errors";
import { memberPerson } from "@/lib/people";
import { useLiveProject } from "@/lib/live/provider";
import { findProject, useMe, useMembers, useProjects, useTimeZone } from "@/lib/queries";
import { focusTask } from "@/lib/selection";
import { useUser } from "@/lib/session";
import { useShortcut } from "@/lib/shortcuts";
import { useTaskActions } from "@/lib/tasks/provider";
import { readViewState, rememberedView, rememberView, writeViewState, type ViewState } from "@/lib/view-state";

// The board (drag and drop) and the task drawer load when first shown: the list's first load
// does not carry them.
const BoardView = dynamic(() => import("@/components/board/BoardView"), { ssr: false, loading: () => <Skeleton rows={6} label="Loading the board" /> });
const CalendarView = dynamic(() => import("@/components/calendar/CalendarView"), { ssr: false, loading: () => <Skeleton rows={6} label="Loading the calendar" /> });
const TaskDrawer = dynamic(() => import("@/components/drawer/TaskDrawer"), { ssr: false });

function ProjectView({ routeId }: { routeId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const user = useUser();
  const me = useMe();
  const projects = useProjects();
  const project = findProject(projects.data, routeId);
  const members = useMembers(project);
  // The list, the board and the drawer follow this project's changes while it is open.
  useLiveProject(project?.id);
  const timeZone = useTimeZone();
  const actions = useTaskActions();
  const quickAdd = useRef<HTMLInputElement>(null);
  const openedHere = useRef(false);

  const state = useMemo(() => readViewState(new URLSearchParams(params.toString()), project ? rememberedView(project.id) : null), [params, project]);
  // The view's state is only the query string of this page: the history API changes it at
  // once (Next.js syncs useSearchParams with it), no server round trip, no race with a link
  // clicked meanwhile.
  const navigate = useCallback(
    (next: ViewState, mode: "push" | "replace" = "replace") => {
      const url = `${pathname}${writeViewState(next)}`;
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname],
  );
  const change = useCallback(
    (patch: Partial<ViewState>) => {
      if (patch.view && project) rememberView(project.id, patch.view);
      navigate({ ...state, ...patch }, "push");
    },
    [navigate, state, project],
  );
  const taskHref = useCallback((id: string) => `${pathname}${writeViewState({ ...state, task: id })}`, [pathname, state]);
  const open = useCallback(
    (id: string) => {
      openedHere.current = true;
      navigate({ ...state, task: id }, "push");
    },
    [navigate, state],
  );
  const closing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const closeDrawer = useCallback(() => {
    const id = state.task;
    const without = { ...state, task: null };
    if (openedHere.current) {
      // Opened from this page: Back closes it, so the history has no stale "?task=" entry. An
      // entry the router does not own (a native navigation) can leave the drawer open: then
      // take it out of the URL instead.
      router.back();
      closing.current = setTimeout(() => navigate(without), 300);
    } else navigate(without);
    openedHere.current = false;
    // Back to the task it came from (focus is never lost).
    if (id) setTimeout(() => focusTask(id), 50);
  }, [navigate, router, state]);
  useEffect(() => {
    if (state.task || !closing.current) return;
    clearTimeout(closing.current); // Back did close it
    closing.current = null;
  }, [state.task]);
  useEffect(
    () => () => {
      if (closing.current) clearTimeout(closing.current); // left the page meanwhile
    },
    [],
  );

  useEffect(() => {
    // A task link clicked (a plain click: not one that opens a new tab) opens the drawer here,
    // through the history API, and closing it goes back.
    const onClick = (event: MouseEvent) => {
      const link = (event.target as HTMLElement).closest<HTMLAnchorElement>("a[data-task-link]");
      const id = link?.closest("[data-task-id]")?.getAttribute("data-task-id");
      if (!link || !id || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      event.stopPropagation();
      open(id);
    };
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, [open]);

  // An archived project is read-only for everyone until its owner unarchives it.
  const canWrite = project ? project.role !== "viewer" && !project.archived_at : false;
  useShortcut(["n", "q"], () => quickAdd.current?.focus(), { enabled: canWrite && state.view === "list" });
  useEffect(() => {
    const onCommand = (event: Event) => {
      const command = (event as CustomEvent<PageCommand>).detail;
      if (command === "new-task") {
        if (state.view !== "list") change({ view: "list" });
        setTimeout(() => quickAdd.current?.focus(), 100);
      } else change({ view: command === "view-board" ? "board" : command === "view-calendar" ? "calendar" : "list" });
    };
    window.addEventListener("tasklane:command", onCommand);
    return () => window.removeEventListener("tasklane:command", onCommand);
  }, [change, state.view]);

  if (projects.isPending) return <Skeleton rows={6} label="Loading the project" />;
  if (!project) return <ErrorMessage error={projects.error ? errorMessage(projects.error) : "Not found, or you no longer have access to it."} />;
  const meInfo = { id: user.id, name: me.data?.display_name ?? "You" };
  // Avatars of the members once there is someone besides you.
  const shown = members && members.length > 1 ? members.slice(0, 4) : [];
  return (
    <div className="mx-auto max-w-6xl">
      {/* The open task's title names the tab while the drawer is open. */}
      {state.task ? null : <PageTitle title={project.name} />}
      <div className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-2">
        <h1 className="min-w-0 truncate text-xl font-semibold">{project.name}</h1>
        <ProjectMenu project={project} />
        {shown.length ? (
          <Link href={`/projects/${project.id}/members`} className="ml-auto flex -space-x-1.5" aria-label={`Members: ${members?.map((m) => m.display_name || m.email).join(", ")}`}>
            {shown.map((m) => (
              <span key={m.user_id} className="rounded-full ring-2 ring-canvas">
                <Avatar person={memberPerson(m)} labelled={false} />
              </span>
            ))}
          </Link>
        ) : null}
      </div>
      <div className="mb-3">
        <ViewControls state={state} onChange={change} ordered={actions.ordered} />
      </div>
      {project.archived_at ? (
        <Notice className="mb-3">This project is archived: it is read-only. Its owner can unarchive it from the project menu.</Notice>
      ) : canWrite ? null : (
        <Notice className="mb-3">You are a viewer here: you can read this project but not change it.</Notice>
      )}
      {state.view === "list" ? (
        <>
          {canWrite ? (
            <div className="mb-4">
              <QuickAdd ref={quickAdd} projectId={project.id} timeZone={timeZone} members={members} />
            </div>
          ) : null}
          <ListView
            project={project}
            state={state}
            timeZone={timeZone}
            members={members}
            me={meInfo}
            canWrite={canWrite}
            taskHref={taskHref}
            onOpen={open}
            onClearFilters={() => change({ priority: null, label: "", due: "any" })}
          />
        </>
      ) : state.view === "board" ? (
        <BoardView project={project} state={state} timeZone={timeZone} members={members} me={meInfo} canWrite={canWrite} taskHref={taskHref} onOpen={open} />
      ) : (
        <CalendarView project={project} state={state} timeZone={timeZone} members={members} me={meInfo} canWrite={canWrite} taskHref={taskHref} onOpen={open} onMonth={(month) => change({ month })} />
      )}
      {state.task ? <TaskDrawer taskId={state.task} project={project} members={members} canWrite={canWrite} timeZone={timeZone} onClose={closeDrawer} /> : null}
    </div>
  );
}

function ProjectPage() {
  const { id } = useParams<{ id: string }>();
  // Keyed: another project starts with its own view state and selection.
  return <ProjectView key={id} routeId={id} />;
}

export default function Page() {
  return (
    <Suspense fallback={<Skeleton rows={6} label="Loading the project" />}>
      <ProjectPage />
    </Suspense>
  );
}
