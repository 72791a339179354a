// Hand-typed shapes of the Tasklane API (docs/api.md). tests/unit/schema.test.ts checks every
// field named here against the OpenAPI document the Python app generates.

export type Status = "todo" | "in_progress" | "done";
export type Priority = "low" | "medium" | "high" | "urgent";
export type Role = "owner" | "editor" | "viewer";
export type SortKey = "created" | "due" | "priority";
export type SortOrder = "asc" | "desc";
export type EventKind =
  | "task_due"
  | "task_assigned"
  | "task_changed"
  | "comment_added"
  | "project_shared";

export const STATUSES: readonly Status[] = ["todo", "in_progress", "done"];
export const PRIORITIES: readonly Priority[] = ["low", "medium", "high", "urgent"];
export const EVENT_KINDS: readonly EventKind[] = [
  "task_due",
  "task_assigned",
  "task_changed",
  "comment_added",
  "project_shared",
];

export interface ClientConfig {
  region: string;
  user_pool_id: string;
  client_id: string;
  cognito_endpoint: string | null;
  api_url: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Project {
  id: string;
  name: string;
  description: string;
  is_inbox: boolean;
  owner_id: string;
  role: Role;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ProjectInput {
  name: string;
  description?: string;
}

export interface Task {
  id: string;
  project_id: string;
  title: string;
  description: string;
  status: Status;
  priority: Priority;
  due_at: string | null;
  labels: string[];
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  created_by: string;
  version: number;
  /** Sharing (contract): absent until the sharing routes ship. */
  assignee_id?: string | null;
}

export interface TaskInput {
  title: string;
  description: string;
  status: Status;
  priority: Priority;
  due_at: string | null;
  labels: string[];
  assignee_id?: string | null;
}

export interface TaskFilters {
  status?: Status;
  priority?: Priority;
  label?: string;
  due_after?: string;
  due_before?: string;
  sort?: SortKey;
  order?: SortOrder;
}

export type AttachmentStatus = "pending" | "ready";

export interface Attachment {
  id: string;
  task_id: string;
  file_name: string;
  size: number;
  content_type: string;
  status: AttachmentStatus;
  created_at: string;
  created_by: string;
  completed_at?: string | null;
}

export interface Download {
  url: string;
  expires_at: string;
  disposition: string;
}

export interface AttachmentDetail extends Attachment {
  download: Download | null;
}

export interface UploadForm {
  method?: string;
  url: string;
  fields: Record<string, string>;
  expires_at: string;
  file_field?: string;
}

export interface AttachmentUpload {
  attachment: Attachment;
  upload: UploadForm;
}

export interface NotificationPreferences {
  events: Record<EventKind, boolean>;
  reminder_lead_minutes: number;
}

export interface Profile {
  user_id: string;
  email: string;
  display_name: string;
  time_zone: string;
  notifications: NotificationPreferences;
  created_at: string;
  updated_at: string;
}

export interface ProfilePatch {
  display_name?: string;
  time_zone?: string;
  notifications?: Partial<NotificationPreferences>;
}

export interface Highlights {
  title: string;
  description: string;
}

export interface SearchHit {
  task: Task;
  rank: number;
  highlights: Highlights;
}

export interface Counts {
  total: number;
  by_status: Record<Status, number>;
  by_priority: Record<Priority, number>;
  overdue: number;
  due_today: number;
  due_this_week: number;
}

export interface ProjectStats {
  project_id: string;
  name: string;
  counts: Counts;
}

export interface Stats {
  time_zone: string;
  as_of: string;
  total: Counts;
  projects: ProjectStats[];
}

// --- Sharing, comments, notifications (contract; routes may not exist yet) ----------------

export interface Member {
  user_id: string;
  email: string;
  display_name: string;
  role: Role;
  added_at: string;
}

export interface Comment {
  id: string;
  task_id: string;
  author_id: string;
  body: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export type NotificationKind =
  | "task_assigned"
  | "task_changed"
  | "task_completed"
  | "comment_added"
  | "project_shared"
  | "task_due"
  | "task_overdue";

export interface AppNotification {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  task_id: string | null;
  project_id: string | null;
  actor_id: string | null;
  url: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage extends Page<AppNotification> {
  unread: number;
}

export interface DevMail {
  id: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  sent_at: string | null;
}
