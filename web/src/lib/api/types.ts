// The API's shapes, named for the app. Everything comes from schema.ts, which
// scripts/api-types.mjs generates from the API's /openapi.json; nothing here is typed by hand
// except the board contract (`position`, POST /tasks/{id}/move) until the API serves it.
import type { components, paths } from "./schema";

type Schemas = components["schemas"];

/** The board contract adds `position` (opaque; lexicographic order within a status column).
 * Once the generated Task has it, this is the generated type unchanged. */
type WithPosition<T> = T extends { position: unknown } ? T : T & { position?: string | null };

export type Task = WithPosition<Schemas["Task"]>;
export type TaskCreate = Schemas["TaskCreate"];
export type TaskPatch = Schemas["TaskPatch"];
export type TaskPage = { items: Task[]; next_cursor: string | null };
export type Status = Schemas["Status"];
export type Priority = Schemas["Priority"];
export type Project = Schemas["Project"];
export type ProjectCreate = Schemas["ProjectCreate"];
export type Role = Schemas["Role"];
export type Member = Schemas["Member"];
export type Profile = Schemas["Profile"];
export type ProfilePatch = Schemas["ProfilePatch"];
export type EventKind = Schemas["EventKind"];
export type Stats = Schemas["Stats"];
export type Counts = Schemas["Counts"];
export type ProjectStats = Schemas["ProjectStats"];
export type SearchHit = Schemas["SearchHit"];
export type SearchPage = Schemas["SearchPage"];
export type Attachment = Schemas["Attachment"];
export type AttachmentDetail = Schemas["AttachmentDetail"];
export type AttachmentUpload = Schemas["AttachmentUpload"];
export type UploadForm = Schemas["UploadForm"];
export type Comment = Schemas["Comment"];
export type CommentPage = Schemas["CommentPage"];
export type AppNotification = Schemas["Notification"];
export type NotificationPage = Schemas["NotificationPage"];
export type NotificationKind = Schemas["NotificationKind"];
export type ClientConfig = Schemas["ClientConfig"];
/** An IANA zone name: the API lists every name it accepts. */
export type TimeZone = NonNullable<Schemas["ProfilePatch"]["time_zone"]>;
/** The attachment types the deployment accepts (the API answers 422 for others). */
export type AttachmentContentType = Schemas["AttachmentCreate"]["content_type"];
export type ChecklistItem = Schemas["ChecklistItem"];
export type ChecklistProgress = Schemas["ChecklistProgress"];
export type ActivityEntry = Schemas["ActivityEntry"];
export type ActivityPage = Schemas["ActivityPage"];
export type RecurrencePreview = Schemas["RecurrencePreview"];
export type ErrorBody = Schemas["Error"];

export type ListTasksQuery = NonNullable<paths["/projects/{project_id}/tasks"]["get"]["parameters"]["query"]>;
/** The list's sort keys, and the board's manual order once the API serves it. */
export type SortKey = NonNullable<ListTasksQuery["sort"]> | "position";
export type SortOrder = "asc" | "desc";

/** POST /tasks/{id}/move (board contract): the task's new column and its neighbours there,
 * with their positions as this client saw them so the server can check them in one round
 * trip (a neighbour that moved since: 409 `neighbours_moved`). */
export interface MoveRequest {
  status: Status;
  after: string | null;
  before: string | null;
  after_position?: string;
  before_position?: string;
}
export interface MoveResult {
  id: string;
  status: Status;
  position: string;
  version: number;
}
export const MOVE_PATH = "/tasks/{task_id}/move";

export const STATUSES: readonly Status[] = ["todo", "in_progress", "done"];
export const PRIORITIES: readonly Priority[] = ["low", "medium", "high", "urgent"];
export const EVENT_KINDS: readonly EventKind[] = ["task_due", "task_assigned", "task_changed", "comment_added", "project_shared"];

/** A local e-mail of `make run` (GET /_dev/mail: the local gateway's, not in the OpenAPI). */
export interface DevMail {
  id: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  sent_at: string | null;
}
