// Test data: tasks shaped like the API's.
import type { Task } from "@/lib/api/types";

let serial = 0;

/** A task of project "p"; ids sort in creation order like the API's (project id, "-", ULID). */
export function task(fields: Partial<Task> = {}): Task {
  serial += 1;
  const id = fields.id ?? `p-01J${String(serial).padStart(6, "0")}`;
  return {
    id,
    project_id: "p",
    title: `Task ${serial}`,
    description: "",
    status: "todo",
    priority: "medium",
    due_at: null,
    labels: [],
    created_at: "2026-05-01T09:00:00.000Z",
    updated_at: "2026-05-01T09:00:00.000Z",
    completed_at: null,
    created_by: "u1",
    updated_by: "u1",
    assignee_id: null,
    version: 1,
    position: `a${String(serial).padStart(4, "0")}`,
    checklist: [],
    checklist_progress: { done: 0, total: 0 },
    recurrence: null,
    deleted_at: null,
    deleted_by: null,
    purge_at: null,
    ...fields,
  };
}
