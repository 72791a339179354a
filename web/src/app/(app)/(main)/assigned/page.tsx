"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { UserRoundCheck } from "lucide-react";
import { useCallback, useMemo } from "react";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { EmptyState, ErrorMessage, Skeleton, Spinner } from "@/components/ui/Status";
import { TaskRow } from "@/components/tasks/TaskRow";
import { errorMessage } from "@/lib/api/errors";
import type { Task } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { projectHref, useMe, useProjects, useTimeZone } from "@/lib/queries";
import { useSelection } from "@/lib/selection";
import { useApi, useFeature, useUser } from "@/lib/session";
import { useShortcut } from "@/lib/shortcuts";
import { useLiveProjects } from "@/lib/live/provider";
import { flatten } from "@/lib/tasks/cache";
import { useTaskActions } from "@/lib/tasks/provider";

function AssignedTasks() {
  const api = useApi();
  const user = useUser();
  const me = useMe();
  const timeZone = useTimeZone();
  const projects = useProjects();
  const actions = useTaskActions();
  const query = useInfiniteQuery({
    queryKey: keys.assigned,
    queryFn: ({ pageParam }) => api.assignedToMe(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const tasks = useMemo(() => flatten(query.data), [query.data]);
  // Changes to these tasks arrive through their projects' channels.
  useLiveProjects(tasks.map((task) => task.project_id));
  const selection = useSelection(useMemo(() => tasks.map((t) => t.id), [tasks]));
  const toggle = useCallback((task: Task) => void actions.setDone(task, task.status !== "done"), [actions]);
  useShortcut("j", () => selection.step(1));
  useShortcut("k", () => selection.step(-1));
  const selected = tasks.find((t) => t.id === selection.selected);
  useShortcut("x", () => selected && toggle(selected), { enabled: Boolean(selected) });
  const names = new Map(projects.data?.map((p) => [p.id, p]));
  const person = { id: user.id, name: me.data?.display_name ?? "You" };
  if (query.isPending) return <Skeleton rows={5} label="Loading your tasks" />;
  if (query.error) return <ErrorMessage error={errorMessage(query.error)} />;
  if (tasks.length === 0) {
    return (
      <EmptyState icon={<UserRoundCheck className="size-8" />} title="Nothing is assigned to you">
        Tasks a teammate assigns to you, in any project, show up here — due soonest first.
      </EmptyState>
    );
  }
  return (
    <>
      <ul aria-label="Tasks assigned to me" className="space-y-px">
        {tasks.map((task) => {
          const project = names.get(task.project_id);
          const href = project ? `${projectHref(project)}?task=${encodeURIComponent(task.id)}` : `/tasks/${task.id}`;
          return (
            <TaskRow
              key={task.id}
              task={task}
              timeZone={timeZone}
              assignee={person}
              canWrite={project?.role !== "viewer"}
              selected={selection.selected === task.id}
              href={href}
              onToggle={toggle}
              onSelect={selection.select}
              showProject={project?.name}
            />
          );
        })}
      </ul>
      {query.hasNextPage ? (
        <Button variant="ghost" size="sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? <Spinner label="Loading more" /> : null} Show more
        </Button>
      ) : null}
    </>
  );
}

export default function AssignedPage() {
  const available = useFeature("/tasks");
  return (
    <div className="mx-auto max-w-4xl">
      <PageTitle title="Assigned to me" />
      <h1 className="text-xl font-semibold">Assigned to me</h1>
      <p className="mb-4 text-muted">Across all your projects, due soonest first.</p>
      {available === false ? <ErrorMessage error="Assigned tasks are not available on this server yet." /> : <AssignedTasks />}
    </div>
  );
}
