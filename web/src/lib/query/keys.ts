// Query keys: one place, so optimistic updates (and, later, live updates) find every cached
// copy of a task.
import type { ListSpec } from "@/lib/tasks/ordering";

export const keys = {
  projects: ["projects"] as const,
  me: ["me"] as const,
  stats: ["stats"] as const,
  members: (projectId: string) => ["members", projectId] as const,
  /** Your pending invitations; a project's are under its members' key. */
  invitations: ["invitations"] as const,
  projectInvitations: (projectId: string) => ["members", projectId, "invitations"] as const,
  /** Every task list of a project (the board's columns are lists too). */
  projectTasks: (projectId: string) => ["tasks", projectId] as const,
  allTasks: ["tasks"] as const,
  taskList: (projectId: string, spec: ListSpec) => ["tasks", projectId, spec] as const,
  task: (id: string) => ["task", id] as const,
  assigned: ["assigned"] as const,
  search: (q: string) => ["search", q] as const,
  comments: (taskId: string) => ["comments", taskId] as const,
  attachments: (taskId: string) => ["attachments", taskId] as const,
  /** A project's trash (the deleted tasks waiting there, restorable). */
  trash: (projectId: string) => ["trash", projectId] as const,
  notifications: ["notifications"] as const,
  unread: ["notifications", "unread"] as const,
  devMail: ["dev-mail"] as const,
};
