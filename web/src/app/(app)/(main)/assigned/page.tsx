"use client";
import { FeatureGate } from "@/components/FeatureNotice";
import { TaskList } from "@/components/TaskList";
import { usePaged } from "@/lib/hooks";
import { useTimeZone } from "@/lib/profile";
import { useApi } from "@/lib/session";
import type { Task } from "@/lib/types";

function AssignedTasks() {
  const api = useApi();
  const timeZone = useTimeZone();
  const tasks = usePaged<Task>((cursor) => api.assignedToMe(cursor), "assigned");
  return <TaskList paged={tasks} timeZone={timeZone} empty="Nothing is assigned to you." />;
}

export default function AssignedPage() {
  return (
    <>
      <h1>Assigned to me</h1>
      <p className="hint">Across all your projects, due soonest first.</p>
      <FeatureGate path="/tasks" name="Assigned tasks">
        <AssignedTasks />
      </FeatureGate>
    </>
  );
}
