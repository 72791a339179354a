// The API's shapes, named for the app. Everything comes from schema.ts, which
// scripts/api-types.mjs generates from the API's /openapi.json; nothing here is typed by hand.
import type { components, paths } from "./schema";

type Schemas = components["schemas"];

/** `position` is opaque: the task's place in its status column (compare as plain strings). */
export type Task = Schemas["Task"];
export type TaskCreate = Schemas["TaskCreate"];
export type TaskPatch = Schemas["TaskPatch"];
export type TaskPage = Schemas["TaskPage"];
export type Status = Schemas["Status"];
export type Priority = Schemas["Priority"];
export type Project = Schemas["Project"];
export type ProjectCreate = Schemas["ProjectCreate"];
export type Role = Schemas["Role"];
export type Member = Schemas["Member"];
export type Invitation = Schemas["Invitation"];
export type Profile = Schemas["Profile"];
export type ProfilePatch = Schemas["ProfilePatch"];
/** The zones the API accepts (IANA names); a zone the browser names is checked there (422). */
export type TimeZone = NonNullable<ProfilePatch["time_zone"]>;
export type EventKind = Schemas["EventKind"];
export type Stats = Schemas["Stats"];
export type Counts = Schemas["Counts"];
export type ProjectStats = Schemas["ProjectStats"];
export type SearchHit = Schemas["SearchHit"];
export type SearchPage = Schemas["SearchPage"];
export type Attachment = Schemas["Attachment"];
export type AttachmentDetail = Schemas["AttachmentDetail"];
export type AttachmentUpload = Schemas["AttachmentUpload"];
/** The media types this deployment accepts; a file's type is checked by the API (422). */
export type ContentType = Schemas["AttachmentCreate"]["content_type"];
export type UploadForm = Schemas["UploadForm"];
export type Comment = Schemas["Comment"];
export type CommentPage = Schemas["CommentPage"];
export type AppNotification = Schemas["Notification"];
export type NotificationPage = Schemas["NotificationPage"];
export type NotificationKind = Schemas["NotificationKind"];
export type ClientConfig = Schemas["ClientConfig"];
export type ChecklistItem = Schemas["ChecklistItem"];
export type ChecklistProgress = Schemas["ChecklistProgress"];
export type ActivityEntry = Schemas["ActivityEntry"];
export type ActivityPage = Schemas["ActivityPage"];
export type RecurrencePreview = Schemas["RecurrencePreview"];
export type ErrorBody = Schemas["Error"];

export type ListTasksQuery = NonNullable<paths["/projects/{project_id}/tasks"]["get"]["parameters"]["query"]>;
/** The list's sort keys; `position` is the board's manual order. */
export type SortKey = NonNullable<ListTasksQuery["sort"]>;
export type SortOrder = "asc" | "desc";

/** POST /tasks/{id}/move: the task's new column and its neighbours there, with their
 * positions as this client saw them so the server can check them in one round trip (a
 * neighbour that moved since: 409 `neighbours_moved`). */
export type TaskMove = Schemas["TaskMove"];
/** What a move answers: the task's column, position and version. */
export type Moved = Schemas["Moved"];
/** The board's route, for servers that predate it (the client then orders by creation). */
export const MOVE_PATH = "/tasks/{task_id}/move" satisfies keyof paths;

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
