// The one client of the Tasklane API: openapi-fetch over the generated `paths`, so a route,
// a parameter or a body the API does not have is a type error. Every answer goes through
// `unwrap`: errors become an ApiError in words, a refused token (401) ends the session.
import createClient, { type Middleware } from "openapi-fetch";
import { ApiError, type ErrorBody } from "./errors";
import type { paths } from "./schema";
import type {
  ActivityPage,
  AppNotification,
  Attachment,
  AttachmentDetail,
  AttachmentUpload,
  CalendarFeed,
  ChecklistItem,
  ClientConfig,
  ContentType,
  Comment,
  DeliveryAttempt,
  DevMail,
  Export,
  Import,
  ImportCreate,
  ImportReport,
  ImportUpload,
  ListTasksQuery,
  Invitation,
  Member,
  Moved,
  NotificationPage,
  Profile,
  ProfilePatch,
  Project,
  RecurrencePreview,
  Role,
  SearchPage,
  Stats,
  Task,
  TaskCreate,
  TaskPage,
  TaskMove,
  TaskPatch,
  TimeZone,
  Webhook,
  WebhookCreate,
  WebhookPatch,
  WebhookSecret,
} from "./types";

export type TokenSource = () => Promise<string | null>;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** The query of a task list: the API's filters and sorts (`position`: the board's order);
 * the cursor goes beside it. */
export type TaskQuery = Omit<ListTasksQuery, "cursor">;

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Every item of a cursor-paginated list (short lists: projects, members). */
export async function collectAll<T>(load: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await load(cursor);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

export class Api {
  private readonly client: ReturnType<typeof createClient<paths>>;

  constructor(
    readonly baseUrl: string,
    private readonly token: TokenSource,
    private readonly onUnauthorized: () => void = () => {},
  ) {
    // fetch looked up per call: tests and the service worker-free browser alike.
    this.client = createClient<paths>({ baseUrl, fetch: (request) => globalThis.fetch(request) });
    const auth: Middleware = {
      onRequest: async ({ request, schemaPath }) => {
        if (schemaPath === "/config") return request;
        const token = await this.token();
        if (!token) {
          this.onUnauthorized();
          throw ApiError.fromResponse(401, null);
        }
        request.headers.set("Authorization", token);
        return request;
      },
    };
    this.client.use(auth);
  }

  private async unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
    const { data, error, response } = await call;
    if (response.ok) return data as T;
    if (response.status === 401) this.onUnauthorized();
    throw ApiError.fromResponse(response.status, (error ?? null) as ErrorBody | null);
  }

  /** Which routes the API serves (features arrive before or after this client). */
  async paths(): Promise<string[]> {
    const response = await globalThis.fetch(`${this.baseUrl}/openapi.json`);
    if (!response.ok) throw ApiError.fromResponse(response.status, null);
    return Object.keys(((await response.json()) as { paths: Record<string, unknown> }).paths);
  }

  config(): Promise<ClientConfig> {
    return this.unwrap(this.client.GET("/config"));
  }

  // Projects
  listProjects(cursor?: string | null): Promise<Page<Project>> {
    return this.unwrap(this.client.GET("/projects", { params: { query: { limit: 100, cursor } } }));
  }
  createProject(name: string): Promise<Project> {
    return this.unwrap(this.client.POST("/projects", { body: { name } }));
  }
  renameProject(id: string, name: string): Promise<Project> {
    const answer = this.client.PATCH("/projects/{project_id}", {
      params: { path: { project_id: id } },
      body: { name },
      headers: { Prefer: "return=representation" },
    });
    return this.unwrap(answer) as Promise<Project>;
  }
  deleteProject(id: string): Promise<void> {
    return this.unwrap(this.client.DELETE("/projects/{project_id}", { params: { path: { project_id: id }, query: { force: true } } }));
  }

  // Tasks
  listTasks(projectId: string, query: TaskQuery, cursor?: string | null): Promise<TaskPage> {
    const params = { path: { project_id: projectId }, query: { ...query, cursor } };
    return this.unwrap(this.client.GET("/projects/{project_id}/tasks", { params }));
  }
  assignedToMe(cursor?: string | null): Promise<TaskPage> {
    return this.unwrap(this.client.GET("/tasks", { params: { query: { assignee: "me", limit: 50, cursor } } })) as Promise<TaskPage>;
  }
  getTask(id: string): Promise<Task> {
    return this.unwrap(this.client.GET("/tasks/{task_id}", { params: { path: { task_id: id } } }));
  }
  createTask(projectId: string, input: TaskCreate, idempotencyKey: string): Promise<Task> {
    return this.unwrap(
      this.client.POST("/projects/{project_id}/tasks", {
        params: { path: { project_id: projectId } },
        body: input,
        headers: { "Idempotency-Key": idempotencyKey },
      }),
    );
  }
  /** Only the changed fields. With `version`, only if nobody changed the task since (412). */
  async updateTask(id: string, patch: TaskPatch, version?: number): Promise<Task> {
    const headers: Record<string, string> = { Prefer: "return=representation" };
    if (version !== undefined) headers["If-Match"] = `"${version}"`;
    const task = await this.unwrap(
      this.client.PATCH("/tasks/{task_id}", { params: { path: { task_id: id } }, body: patch, headers }),
    );
    return task as Task;
  }
  /** Completes a task; a recurring one with its next occurrence, in one request when the
   * server has it prepared. Answers the completed task. */
  async completeOccurrence(id: string): Promise<Task> {
    const task = await this.unwrap(
      this.client.POST("/tasks/{task_id}/recurrence/complete", {
        params: { path: { task_id: id } },
        headers: { Prefer: "return=representation" },
      }),
    );
    return task as Task;
  }
  /** To the project's trash (restorable: `restoreTask`). */
  deleteTask(id: string, version?: number): Promise<void> {
    const headers: Record<string, string> = version === undefined ? {} : { "If-Match": `"${version}"` };
    return this.unwrap(this.client.DELETE("/tasks/{task_id}", { params: { path: { task_id: id } }, headers }));
  }
  /** The board: one round trip places the task between its new neighbours (with `version`
   * and their positions). */
  moveTask(id: string, move: TaskMove, version?: number): Promise<Moved> {
    const headers: Record<string, string> = version === undefined ? {} : { "If-Match": `"${version}"` };
    return this.unwrap(this.client.POST("/tasks/{task_id}/move", { params: { path: { task_id: id } }, body: move, headers }));
  }

  // Attachments
  async listAttachments(taskId: string): Promise<Attachment[]> {
    return (await this.unwrap(this.client.GET("/tasks/{task_id}/attachments", { params: { path: { task_id: taskId } } }))).items;
  }
  startUpload(taskId: string, file: { file_name: string; size: number; content_type: string }): Promise<AttachmentUpload> {
    // The browser's type, as the file says: the API refuses one it does not accept (422).
    const body = { ...file, content_type: file.content_type as ContentType };
    return this.unwrap(this.client.POST("/tasks/{task_id}/attachments", { params: { path: { task_id: taskId } }, body }));
  }
  completeUpload(taskId: string, attachmentId: string): Promise<Attachment> {
    return this.unwrap(
      this.client.POST("/tasks/{task_id}/attachments/{attachment_id}/complete", {
        params: { path: { task_id: taskId, attachment_id: attachmentId } },
      }),
    );
  }
  getAttachment(taskId: string, attachmentId: string, inline = false): Promise<AttachmentDetail> {
    return this.unwrap(
      this.client.GET("/tasks/{task_id}/attachments/{attachment_id}", {
        params: { path: { task_id: taskId, attachment_id: attachmentId }, query: inline ? { disposition: "inline" } : {} },
      }),
    );
  }
  /** `keepalive`: sent as the page goes away (a delete held back for Undo, lib/held.ts). */
  deleteAttachment(taskId: string, attachmentId: string, keepalive = false): Promise<void> {
    return this.unwrap(
      this.client.DELETE("/tasks/{task_id}/attachments/{attachment_id}", {
        params: { path: { task_id: taskId, attachment_id: attachmentId } },
        keepalive,
      }),
    );
  }

  // Profile, search, stats
  me(): Promise<Profile> {
    return this.unwrap(this.client.GET("/me"));
  }
  updateMe(patch: ProfilePatch): Promise<Profile> {
    return this.unwrap(this.client.PATCH("/me", { body: patch }));
  }
  search(q: string, cursor?: string | null, limit = 25): Promise<SearchPage> {
    return this.unwrap(this.client.GET("/search", { params: { query: { q, limit, cursor } } }));
  }
  stats(): Promise<Stats> {
    return this.unwrap(this.client.GET("/stats"));
  }

  // Members
  listMembers(projectId: string, cursor?: string | null): Promise<Page<Member>> {
    return this.unwrap(this.client.GET("/projects/{project_id}/members", { params: { path: { project_id: projectId }, query: { limit: 100, cursor } } }));
  }
  /** Sharing is by invitation: the answer is the invitation (the same whether or not the address has an account). */
  inviteMember(projectId: string, email: string, role: Exclude<Role, "owner">): Promise<Invitation> {
    return this.unwrap(this.client.POST("/projects/{project_id}/members", { params: { path: { project_id: projectId } }, body: { email, role } }));
  }
  projectInvitations(projectId: string, cursor?: string | null): Promise<Page<Invitation>> {
    return this.unwrap(
      this.client.GET("/projects/{project_id}/invitations", { params: { path: { project_id: projectId }, query: { limit: 100, cursor } } }),
    );
  }
  revokeInvitation(projectId: string, invitationId: string): Promise<void> {
    return this.unwrap(
      this.client.DELETE("/projects/{project_id}/invitations/{invitation_id}", {
        params: { path: { project_id: projectId, invitation_id: invitationId } },
      }),
    );
  }
  myInvitations(cursor?: string | null): Promise<Page<Invitation>> {
    return this.unwrap(this.client.GET("/invitations", { params: { query: { limit: 100, cursor } } }));
  }
  acceptInvitation(invitationId: string): Promise<Invitation> {
    return this.unwrap(this.client.POST("/invitations/{invitation_id}/accept", { params: { path: { invitation_id: invitationId } } }));
  }
  declineInvitation(invitationId: string): Promise<void> {
    return this.unwrap(this.client.POST("/invitations/{invitation_id}/decline", { params: { path: { invitation_id: invitationId } } }));
  }
  changeMemberRole(projectId: string, userId: string, role: Exclude<Role, "owner">): Promise<Member> {
    return this.unwrap(
      this.client.PATCH("/projects/{project_id}/members/{user_id}", { params: { path: { project_id: projectId, user_id: userId } }, body: { role } }),
    );
  }
  removeMember(projectId: string, userId: string): Promise<void> {
    return this.unwrap(this.client.DELETE("/projects/{project_id}/members/{user_id}", { params: { path: { project_id: projectId, user_id: userId } } }));
  }

  // Comments
  // Checklists: every change is one request; ``position`` (fractional indexing) spares a read.
  addChecklistItem(taskId: string, text: string, position?: string): Promise<ChecklistItem> {
    const body = position === undefined ? { text } : { text, position };
    return this.unwrap(this.client.POST("/tasks/{task_id}/checklist", { params: { path: { task_id: taskId } }, body }));
  }
  changeChecklistItem(taskId: string, itemId: string, change: { text?: string; done?: boolean; position?: string }): Promise<void> {
    return this.unwrap(
      this.client.PATCH("/tasks/{task_id}/checklist/{item_id}", { params: { path: { task_id: taskId, item_id: itemId } }, body: change }),
    );
  }
  removeChecklistItem(taskId: string, itemId: string, keepalive = false): Promise<void> {
    return this.unwrap(this.client.DELETE("/tasks/{task_id}/checklist/{item_id}", { params: { path: { task_id: taskId, item_id: itemId } }, keepalive }));
  }
  checklistItemToTask(taskId: string, itemId: string): Promise<Task> {
    return this.unwrap(this.client.POST("/tasks/{task_id}/checklist/{item_id}/task", { params: { path: { task_id: taskId, item_id: itemId } } }));
  }

  // Trash and archive.
  listTrash(projectId: string, cursor?: string | null): Promise<TaskPage> {
    return this.unwrap(this.client.GET("/projects/{project_id}/trash", { params: { path: { project_id: projectId }, query: { limit: 100, cursor } } }));
  }
  restoreTask(id: string, unassign = false): Promise<Task> {
    return this.unwrap(this.client.POST("/tasks/{task_id}/restore", { params: { path: { task_id: id }, query: { unassign } } }));
  }
  deleteForGood(id: string): Promise<void> {
    return this.unwrap(this.client.DELETE("/tasks/{task_id}", { params: { path: { task_id: id }, query: { permanent: true } } }));
  }
  archiveProject(id: string): Promise<void> {
    return this.unwrap(this.client.POST("/projects/{project_id}/archive", { params: { path: { project_id: id } } }));
  }
  unarchiveProject(id: string): Promise<void> {
    return this.unwrap(this.client.POST("/projects/{project_id}/unarchive", { params: { path: { project_id: id } } }));
  }

  /** What the recurrence picker shows: the rule in plain words and its next three dates. */
  previewRecurrence(rule: string, dueAt: string, timeZone: string): Promise<RecurrencePreview> {
    const query = { rule, due_at: dueAt, time_zone: timeZone as TimeZone };
    return this.unwrap(this.client.GET("/recurrence/preview", { params: { query } }));
  }

  // The history, newest first.
  taskActivity(taskId: string, cursor?: string | null): Promise<ActivityPage> {
    return this.unwrap(this.client.GET("/tasks/{task_id}/activity", { params: { path: { task_id: taskId }, query: { limit: 50, cursor } } }));
  }
  projectActivity(projectId: string, cursor?: string | null): Promise<ActivityPage> {
    return this.unwrap(this.client.GET("/projects/{project_id}/activity", { params: { path: { project_id: projectId }, query: { limit: 50, cursor } } }));
  }

  listComments(taskId: string, cursor?: string | null): Promise<Page<Comment>> {
    return this.unwrap(this.client.GET("/tasks/{task_id}/comments", { params: { path: { task_id: taskId }, query: { limit: 100, cursor } } }));
  }
  addComment(taskId: string, body: string): Promise<Comment> {
    return this.unwrap(this.client.POST("/tasks/{task_id}/comments", { params: { path: { task_id: taskId } }, body: { body } }));
  }
  deleteComment(taskId: string, commentId: string, keepalive = false): Promise<void> {
    return this.unwrap(this.client.DELETE("/tasks/{task_id}/comments/{comment_id}", { params: { path: { task_id: taskId, comment_id: commentId } }, keepalive }));
  }

  // Notifications
  notifications(unreadOnly = false, cursor?: string | null): Promise<NotificationPage> {
    return this.unwrap(this.client.GET("/notifications", { params: { query: { limit: 50, unread_only: unreadOnly, cursor } } }));
  }
  markRead(id: string): Promise<void> {
    return this.unwrap(this.client.POST("/notifications/{notification_id}/read", { params: { path: { notification_id: id } } }));
  }
  markAllRead(): Promise<void> {
    return this.unwrap(this.client.POST("/notifications/read-all"));
  }

  // Exports: a job on the export queue; poll it until its ZIP is ready.
  /** `projectId` omitted: every project you can read. */
  startExport(projectId?: string): Promise<Export> {
    return this.unwrap(this.client.POST("/exports", { body: projectId ? { project_id: projectId } : {} })) as Promise<Export>;
  }
  async listExports(): Promise<Export[]> {
    return (await this.unwrap(this.client.GET("/exports"))).items;
  }
  getExport(id: string): Promise<Export> {
    return this.unwrap(this.client.GET("/exports/{export_id}", { params: { path: { export_id: id } } }));
  }

  // Imports: options → an upload form; the file goes to S3; a dry run; the real run.
  createImport(input: ImportCreate): Promise<ImportUpload> {
    return this.unwrap(this.client.POST("/imports", { body: input }));
  }
  getImport(id: string): Promise<Import> {
    return this.unwrap(this.client.GET("/imports/{import_id}", { params: { path: { import_id: id } } }));
  }
  dryRunImport(id: string): Promise<ImportReport> {
    return this.unwrap(this.client.POST("/imports/{import_id}/dry-run", { params: { path: { import_id: id } } }));
  }
  startImport(id: string): Promise<Import> {
    return this.unwrap(this.client.POST("/imports/{import_id}/start", { params: { path: { import_id: id } } }));
  }

  // The calendar feed: a secret URL, made on first ask.
  calendarFeed(): Promise<CalendarFeed> {
    return this.unwrap(this.client.GET("/me/calendar"));
  }
  regenerateCalendarFeed(): Promise<CalendarFeed> {
    return this.unwrap(this.client.POST("/me/calendar/regenerate"));
  }
  revokeCalendarFeed(): Promise<void> {
    return this.unwrap(this.client.DELETE("/me/calendar"));
  }

  // Webhooks (the project's owner only).
  async listWebhooks(projectId: string): Promise<Webhook[]> {
    return (await this.unwrap(this.client.GET("/projects/{project_id}/webhooks", { params: { path: { project_id: projectId } } }))).items;
  }
  createWebhook(projectId: string, input: WebhookCreate): Promise<WebhookSecret> {
    return this.unwrap(this.client.POST("/projects/{project_id}/webhooks", { params: { path: { project_id: projectId } }, body: input }));
  }
  updateWebhook(projectId: string, webhookId: string, patch: WebhookPatch): Promise<Webhook> {
    return this.unwrap(
      this.client.PATCH("/projects/{project_id}/webhooks/{webhook_id}", { params: { path: { project_id: projectId, webhook_id: webhookId } }, body: patch }),
    );
  }
  deleteWebhook(projectId: string, webhookId: string): Promise<void> {
    return this.unwrap(
      this.client.DELETE("/projects/{project_id}/webhooks/{webhook_id}", { params: { path: { project_id: projectId, webhook_id: webhookId } } }),
    );
  }
  rotateWebhookSecret(projectId: string, webhookId: string): Promise<WebhookSecret> {
    return this.unwrap(
      this.client.POST("/projects/{project_id}/webhooks/{webhook_id}/rotate", { params: { path: { project_id: projectId, webhook_id: webhookId } } }),
    );
  }
  async webhookDeliveries(projectId: string, webhookId: string): Promise<DeliveryAttempt[]> {
    const answer = this.client.GET("/projects/{project_id}/webhooks/{webhook_id}/deliveries", {
      params: { path: { project_id: projectId, webhook_id: webhookId } },
    });
    return (await this.unwrap(answer)).items;
  }

  /** Local mode only: the local gateway's mailbox (not part of the API's OpenAPI). */
  async devMail(): Promise<DevMail[]> {
    const response = await globalThis.fetch(`${this.baseUrl}/_dev/mail`);
    if (!response.ok) throw ApiError.fromResponse(response.status, null);
    return ((await response.json()) as { items: DevMail[] }).items;
  }
}

export type { AppNotification };
