// An in-memory stand-in for the task routes of the API behind `fetch`, for the optimistic
// update tests: it keeps tasks, answers like the API (versions, 412 on a stale If-Match, the
// board's move), and lets a test hold a request (to look at the screen before the answer) or
// fail the next one.
import { vi } from "vitest";
import type { Task, TaskMove } from "@/lib/api/types";

interface Gate {
  promise: Promise<void>;
  release: () => void;
}

function gate(): Gate {
  let release = () => {};
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

export class FakeApi {
  readonly tasks = new Map<string, Task>();
  /** Deleted tasks, restorable (the project's trash). */
  readonly trash = new Map<string, Task>();
  readonly requests: { method: string; path: string; body: unknown; headers: Headers }[] = [];
  private failures: { status: number; code: string; message: string }[] = [];
  private held: Gate | null = null;
  private serial = 100;

  constructor(initial: Task[] = []) {
    for (const t of initial) this.tasks.set(t.id, t);
  }

  /** The next request answers `status` (and changes nothing). */
  failNext(status: number, code = "error", message = "refused"): void {
    this.failures.push({ status, code, message });
  }

  /** Requests wait until `release()`: what the user sees before the server answers. */
  hold(): () => void {
    this.held = gate();
    const held = this.held;
    return () => {
      this.held = null;
      held.release();
    };
  }

  install(): void {
    vi.stubGlobal("fetch", (input: Request | string, init?: RequestInit) => this.handle(typeof input === "string" ? new Request(input, init) : input));
  }

  private json(status: number, body: unknown): Response {
    return new Response(body === null ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }

  private async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const text = await request.text();
    const body: unknown = text ? JSON.parse(text) : null;
    this.requests.push({ method: request.method, path: url.pathname, body, headers: request.headers });
    if (this.held) await this.held.promise;
    const failure = this.failures.shift();
    if (failure) return this.json(failure.status, { error: { code: failure.code, message: failure.message, details: null } });

    const restore = url.pathname.match(/^\/tasks\/([^/]+)\/restore$/);
    if (request.method === "POST" && restore) {
      const trashed = this.trash.get(decodeURIComponent(restore[1] ?? ""));
      if (!trashed) return this.json(409, { error: { code: "conflict", message: "the task is not in the trash", details: { reason: "not_in_trash" } } });
      const back: Task = { ...trashed, deleted_at: null, deleted_by: null, purge_at: null, version: trashed.version + 1 };
      this.trash.delete(back.id);
      this.tasks.set(back.id, back);
      return this.json(200, back);
    }
    const completes = url.pathname.match(/^\/tasks\/([^/]+)\/recurrence\/complete$/);
    if (request.method === "POST" && completes) {
      const done = this.tasks.get(decodeURIComponent(completes[1] ?? ""));
      if (!done) return this.json(404, { error: { code: "not_found", message: "gone" } });
      const next: Task = { ...done, status: "done", completed_at: "2026-05-01T10:00:00.000Z", version: done.version + 1 };
      this.tasks.set(next.id, next);
      return this.json(200, next);
    }
    const match = url.pathname.match(/^\/tasks\/([^/]+)(\/move)?$/);
    const id = match ? decodeURIComponent(match[1] ?? "") : "";
    const current = this.tasks.get(id);
    const ifMatch = request.headers.get("If-Match");
    if (match && !current) return this.json(404, { error: { code: "not_found", message: "gone" } });
    if (current && ifMatch && ifMatch !== `"${current.version}"`) return this.json(412, { error: { code: "precondition_failed", message: "stale" } });

    if (request.method === "GET" && current && !match?.[2]) return this.json(200, current);
    if (request.method === "PATCH" && current) {
      const patch = body as Partial<Task>;
      const next: Task = { ...current, ...patch, version: current.version + 1, completed_at: patch.status === "done" ? "2026-05-01T10:00:00.000Z" : patch.status ? null : current.completed_at };
      this.tasks.set(id, next);
      return this.json(200, next);
    }
    if (request.method === "DELETE" && current) {
      this.tasks.delete(id);
      this.trash.set(id, { ...current, deleted_at: "2026-05-01T10:00:00.000Z", deleted_by: "u1", version: current.version + 1 });
      return this.json(204, null);
    }
    if (request.method === "POST" && match?.[2] && current) {
      const move = body as TaskMove;
      const position = move.after_position ? `${move.after_position}m` : "a0000";
      const next: Task = { ...current, status: move.status, position, version: current.version + 1 };
      this.tasks.set(id, next);
      return this.json(200, { id, status: move.status, position, version: next.version });
    }
    const create = url.pathname.match(/^\/projects\/([^/]+)\/tasks$/);
    if (request.method === "POST" && create) {
      this.serial += 1;
      const input = body as Partial<Task>;
      const made: Task = {
        id: `p-01K${this.serial}`,
        project_id: "p",
        title: input.title ?? "",
        description: input.description ?? "",
        status: input.status ?? "todo",
        priority: input.priority ?? "medium",
        due_at: input.due_at ?? null,
        labels: input.labels ?? [],
        assignee_id: input.assignee_id ?? null,
        created_at: "2026-05-01T10:00:00.000Z",
        updated_at: "2026-05-01T10:00:00.000Z",
        completed_at: null,
        created_by: "u1",
        updated_by: "u1",
        version: 1,
        position: "z9999",
        checklist: [],
        checklist_progress: { done: 0, total: 0 },
        recurrence: null,
        deleted_at: null,
        deleted_by: null,
        purge_at: null,
      };
      this.tasks.set(made.id, made);
      return this.json(201, made);
    }
    if (request.method === "GET" && create) {
      const status = url.searchParams.get("status");
      const items = [...this.tasks.values()].filter((t) => !status || t.status === status).sort((a, b) => ((a.position ?? "") < (b.position ?? "") ? -1 : 1));
      return this.json(200, { items, next_cursor: null });
    }
    return this.json(404, { error: { code: "not_found", message: `no route ${request.method} ${url.pathname}` } });
  }
}
