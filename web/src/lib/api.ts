// The one typed client of the Tasklane API. Every call goes through `request`, which adds the
// ID token, turns error answers into an ApiError with a sentence a person can act on, and
// reports a refused token (401) so the app can send the user back to log in.
import type {
  AppNotification,
  Attachment,
  AttachmentDetail,
  AttachmentUpload,
  ClientConfig,
  Comment,
  DevMail,
  Member,
  NotificationPage,
  Page,
  Profile,
  ProfilePatch,
  Project,
  ProjectInput,
  Role,
  SearchHit,
  Stats,
  Task,
  TaskFilters,
  TaskInput,
} from "./types";

export interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
  message?: string;
}

const STATUS_WORDS: Record<number, string> = {
  400: "The request was refused",
  401: "Your session has ended: please log in again.",
  403: "Your role in this project does not allow this.",
  404: "Not found, or you no longer have access to it.",
  409: "This conflicts with the current state",
  412: "This task changed since you opened it: reload to see the latest version.",
  413: "Too large",
  415: "Unsupported content",
  422: "Some values are not valid",
};

function describeDetails(details: unknown): string {
  if (Array.isArray(details)) {
    return details
      .map((d: { loc?: unknown[]; message?: string; msg?: string }) => {
        const loc = (d.loc ?? []).filter((p) => p !== "body").join(".");
        const text = d.message ?? d.msg ?? "";
        return loc ? `${loc}: ${text}` : text;
      })
      .filter(Boolean)
      .join("; ");
  }
  if (details && typeof details === "object") {
    return Object.entries(details as Record<string, unknown>)
      .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join("; ");
  }
  return "";
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  static fromResponse(status: number, body: ErrorBody | null): ApiError {
    const code = body?.error?.code ?? (status === 401 ? "unauthorized" : "error");
    const serverMessage = body?.error?.message ?? body?.message ?? "";
    const details = describeDetails(body?.error?.details);
    let text: string;
    if (status === 412 || status === 401 || status === 403 || status === 404) {
      text = STATUS_WORDS[status] ?? serverMessage;
    } else {
      const lead = STATUS_WORDS[status] ?? `The server answered ${status}`;
      text = [serverMessage ? `${lead}: ${serverMessage}` : lead, details].filter(Boolean).join(" — ");
    }
    if (status === 404 && code === "user_not_found") text = "No user with that e-mail address.";
    return new ApiError(status, code, text, body?.error?.details ?? null);
  }
}

/** What the UI shows for any error: the API's words, or what went wrong on the way. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "Could not reach the server. Check your connection and try again.";
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
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

export type TokenSource = () => Promise<string | null>;
type Query = Record<string, string | number | boolean | undefined | null>;

interface RequestOptions {
  method?: string;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  auth?: boolean;
}

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function path(strings: TemplateStringsArray, ...ids: string[]): string {
  return strings.reduce((out, part, i) => out + part + (i < ids.length ? encodeURIComponent(ids[i] ?? "") : ""), "");
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: TokenSource,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  async request<T>(route: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.auth !== false) {
      const token = await this.token();
      if (!token) {
        this.onUnauthorized();
        throw ApiError.fromResponse(401, null);
      }
      headers.Authorization = token;
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${this.baseUrl}${route}${queryString(options.query)}`, {
      method: options.method ?? "GET",
      headers,
      body,
    });
    if (response.status === 204) return undefined as T;
    const data: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      throw ApiError.fromResponse(response.status, data as ErrorBody | null);
    }
    return data as T;
  }

  /** Which routes the API serves now (to hide or explain features not deployed yet). */
  async paths(): Promise<string[]> {
    const spec = await this.request<{ paths: Record<string, unknown> }>("/openapi.json", { auth: false });
    return Object.keys(spec.paths);
  }

  config(): Promise<ClientConfig> {
    return this.request("/config", { auth: false });
  }

  // Projects
  listProjects(cursor?: string | null): Promise<Page<Project>> {
    return this.request("/projects", { query: { limit: 100, cursor } });
  }
  getProject(id: string): Promise<Project> {
    return this.request(path`/projects/${id}`);
  }
  createProject(input: ProjectInput): Promise<Project> {
    return this.request("/projects", { method: "POST", body: input });
  }
  renameProject(id: string, name: string): Promise<Project> {
    return this.request(path`/projects/${id}`, {
      method: "PATCH",
      body: { name },
      headers: { Prefer: "return=representation" },
    });
  }
  deleteProject(id: string): Promise<void> {
    return this.request(path`/projects/${id}`, { method: "DELETE", query: { force: true } });
  }

  // Tasks
  listTasks(projectId: string, filters: TaskFilters, cursor?: string | null, limit = 25): Promise<Page<Task>> {
    return this.request(path`/projects/${projectId}/tasks`, { query: { ...filters, limit, cursor } });
  }
  assignedToMe(cursor?: string | null): Promise<Page<Task>> {
    return this.request("/tasks", { query: { assignee: "me", limit: 50, cursor } });
  }
  getTask(id: string): Promise<Task> {
    return this.request(path`/tasks/${id}`);
  }
  createTask(projectId: string, input: TaskInput): Promise<Task> {
    return this.request(path`/projects/${projectId}/tasks`, { method: "POST", body: input });
  }
  /** Only the changed fields; `version` guards against overwriting someone else's change. */
  updateTask(id: string, version: number, patch: Partial<TaskInput>): Promise<Task> {
    return this.request(path`/tasks/${id}`, {
      method: "PATCH",
      body: patch,
      headers: { "If-Match": `"${version}"`, Prefer: "return=representation" },
    });
  }
  deleteTask(id: string, version: number): Promise<void> {
    return this.request(path`/tasks/${id}`, { method: "DELETE", headers: { "If-Match": `"${version}"` } });
  }

  // Attachments
  listAttachments(taskId: string): Promise<{ items: Attachment[] }> {
    return this.request(path`/tasks/${taskId}/attachments`);
  }
  startUpload(taskId: string, file: { file_name: string; size: number; content_type: string }): Promise<AttachmentUpload> {
    return this.request(path`/tasks/${taskId}/attachments`, { method: "POST", body: file });
  }
  completeUpload(taskId: string, attachmentId: string): Promise<Attachment> {
    return this.request(path`/tasks/${taskId}/attachments/${attachmentId}/complete`, { method: "POST" });
  }
  getAttachment(taskId: string, attachmentId: string, inline = false): Promise<AttachmentDetail> {
    return this.request(path`/tasks/${taskId}/attachments/${attachmentId}`, {
      query: { disposition: inline ? "inline" : undefined },
    });
  }
  deleteAttachment(taskId: string, attachmentId: string): Promise<void> {
    return this.request(path`/tasks/${taskId}/attachments/${attachmentId}`, { method: "DELETE" });
  }

  // Profile, search, stats
  me(): Promise<Profile> {
    return this.request("/me");
  }
  updateMe(patch: ProfilePatch): Promise<Profile> {
    return this.request("/me", { method: "PATCH", body: patch });
  }
  search(q: string, cursor?: string | null): Promise<Page<SearchHit>> {
    return this.request("/search", { query: { q, limit: 25, cursor } });
  }
  stats(): Promise<Stats> {
    return this.request("/stats");
  }

  // Members (sharing contract)
  listMembers(projectId: string, cursor?: string | null): Promise<Page<Member>> {
    return this.request(path`/projects/${projectId}/members`, { query: { limit: 100, cursor } });
  }
  addMember(projectId: string, email: string, role: Exclude<Role, "owner">): Promise<Member> {
    return this.request(path`/projects/${projectId}/members`, { method: "POST", body: { email, role } });
  }
  changeMemberRole(projectId: string, userId: string, role: Exclude<Role, "owner">): Promise<Member> {
    return this.request(path`/projects/${projectId}/members/${userId}`, { method: "PATCH", body: { role } });
  }
  removeMember(projectId: string, userId: string): Promise<void> {
    return this.request(path`/projects/${projectId}/members/${userId}`, { method: "DELETE" });
  }

  // Comments (contract)
  listComments(taskId: string): Promise<Page<Comment>> {
    return this.request(path`/tasks/${taskId}/comments`, { query: { limit: 100 } });
  }
  addComment(taskId: string, body: string): Promise<Comment> {
    return this.request(path`/tasks/${taskId}/comments`, { method: "POST", body: { body } });
  }
  deleteComment(taskId: string, commentId: string): Promise<void> {
    return this.request(path`/tasks/${taskId}/comments/${commentId}`, { method: "DELETE" });
  }

  // Notifications (contract)
  notifications(unreadOnly = false): Promise<NotificationPage> {
    return this.request("/notifications", { query: { limit: 50, unread_only: unreadOnly } });
  }
  markRead(id: string): Promise<void> {
    return this.request(path`/notifications/${id}/read`, { method: "POST" });
  }
  markAllRead(): Promise<void> {
    return this.request("/notifications/read-all", { method: "POST" });
  }

  // Local mode only
  devMail(): Promise<{ items: DevMail[] }> {
    return this.request("/_dev/mail", { auth: false });
  }
}

export type { AppNotification };
