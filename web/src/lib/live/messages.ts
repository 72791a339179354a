// Live updates (docs/realtime.md): what the WebSocket API posts, and how a post changes the
// TanStack Query cache — through the same functions the optimistic updates use
// (src/lib/tasks/cache.ts), so every cached copy of a task changes together. A post about a
// task I am changing waits until my changes are answered: it would put back, for a moment or
// for good, what I have just done; after them it is applied only if still newer.
import type { QueryClient } from "@tanstack/react-query";
import type { Task } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { changing } from "@/lib/tasks/changes";
import { cachedTask, removeTask, replaceOptimisticCopy, upsertTask } from "@/lib/tasks/cache";

export type LiveKind = "project" | "member" | "task" | "comment" | "attachment" | "notification" | "unread";

export interface LiveChange {
  kind: LiveKind;
  op: "created" | "updated" | "deleted";
  id: string;
  project_id: string | null;
  version: number | null;
  seq: string;
  changed: string[];
  actor_id: string | null;
  item: Record<string, unknown> | null;
}

/** Someone else changed a task: "Bob changed the due date". */
export interface ChangeNotice {
  taskId: string;
  actorId: string;
  fields: string[];
}

/** The socket's posts and answers. */
export type LiveFrame =
  | { type: "changes"; changes: LiveChange[] }
  | { type: "subscribed"; project_id: string; role: string }
  | { type: "unsubscribed"; project_id: string }
  | { type: "pong" }
  | { type: "error"; action: string | null; project_id: string | null; error: { code: string; message: string } };

export function parseFrame(data: unknown): LiveFrame | null {
  if (typeof data !== "string") return null;
  try {
    const frame = JSON.parse(data) as { type?: unknown };
    return frame && typeof frame === "object" && typeof frame.type === "string" ? (frame as LiveFrame) : null;
  } catch {
    return null;
  }
}

/** Whether a task change is newer than the copy held: versions, a deletion above its last. */
export function isNewer(change: LiveChange, held: Pick<Task, "version"> | undefined): boolean {
  if (!held || change.version === null) return true;
  return change.op === "deleted" ? change.version >= held.version : change.version > held.version;
}

/** The task a comment or attachment belongs to (their ids start with it). */
function taskOf(change: LiveChange): string | null {
  const value = change.item?.task_id;
  return typeof value === "string" ? value : null;
}

/** Task changes that wait for my own changes of their task to be answered, by client and task. */
const waiting = new WeakMap<QueryClient, Map<string, LiveChange>>();

function wait(client: QueryClient, change: LiveChange): void {
  let held = waiting.get(client);
  if (!held) waiting.set(client, (held = new Map()));
  const earlier = held.get(change.id);
  if (!earlier || isNewer(change, { version: earlier.version ?? 0 })) held.set(change.id, change);
}

/** A task's change into the cache (the caller has checked it is newer). */
function writeTask(client: QueryClient, change: LiveChange, me: string | null): void {
  if (change.op === "deleted") {
    removeTask(client, { id: change.id, project_id: change.project_id ?? "" });
  } else if (change.item) {
    const item = change.item as unknown as Task;
    // My own create can be posted here before its request is answered.
    if (change.op === "created" && change.actor_id === me) replaceOptimisticCopy(client, item);
    upsertTask(client, item);
  } else {
    // Too large to post whole: read it again.
    void client.invalidateQueries({ queryKey: keys.task(change.id) });
    if (change.project_id) void client.invalidateQueries({ queryKey: keys.projectTasks(change.project_id) });
  }
}

/** The task changes that waited for my own, once those are answered (and still newer than
 * what the answers left). */
function applyWaiting(client: QueryClient, me: string | null): void {
  const held = waiting.get(client);
  for (const [id, change] of held ?? []) {
    if (changing(client, id)) continue;
    held?.delete(id);
    if (isNewer(change, cachedTask(client, id))) writeTask(client, change, me);
  }
}

/** Applies the waiting changes whenever one of my changes settles; returns the unsubscribe. */
export function followMyChanges(client: QueryClient, me: string | null): () => void {
  return client.getMutationCache().subscribe((event) => {
    if (event.type === "updated" && (event.action.type === "success" || event.action.type === "error")) applyWaiting(client, me);
  });
}

/** Applies one post's changes to the cache; returns what to tell the user. */
export function applyChanges(client: QueryClient, changes: LiveChange[], me: string | null): ChangeNotice[] {
  const notices: ChangeNotice[] = [];
  for (const change of changes) {
    switch (change.kind) {
      case "task": {
        const held = cachedTask(client, change.id);
        if (!isNewer(change, held)) break;
        // A deletion is never undone by my answers; anything else waits for them.
        if (change.op !== "deleted" && changing(client, change.id)) wait(client, change);
        else writeTask(client, change, me);
        if (change.op === "updated" && change.actor_id && change.actor_id !== me && change.changed.length) {
          notices.push({ taskId: change.id, actorId: change.actor_id, fields: change.changed });
        }
        break;
      }
      case "comment": {
        const task = taskOf(change);
        if (task) void client.invalidateQueries({ queryKey: keys.comments(task) });
        break;
      }
      case "attachment": {
        const task = taskOf(change);
        if (task) void client.invalidateQueries({ queryKey: keys.attachments(task) });
        break;
      }
      case "member":
        if (change.project_id) void client.invalidateQueries({ queryKey: keys.members(change.project_id) });
        // Shared with me, my role changed, or I was removed: my project list changed.
        if (change.id === me) void client.invalidateQueries({ queryKey: keys.projects });
        break;
      case "project":
        void client.invalidateQueries({ queryKey: keys.projects });
        break;
      case "notification":
      case "unread":
        // The bell: its list and its count (keys.unread is under keys.notifications).
        void client.invalidateQueries({ queryKey: keys.notifications });
        break;
    }
  }
  return notices;
}

const FIELD_WORDS: Record<string, string> = {
  due_at: "the due date",
  title: "the title",
  description: "the description",
  status: "the status",
  priority: "the priority",
  assignee_id: "the assignee",
  labels: "the labels",
  recurrence: "the repeat rule",
  position: "the position",
  checklist: "the checklist",
};

/** "Bob changed the due date and the title". */
export function describeChange(actor: string, fields: string[]): string {
  const words = [...new Set(fields.map((f) => FIELD_WORDS[f] ?? f.replace(/_/g, " ")))];
  const list = words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words.at(-1)}` : (words[0] ?? "the task");
  return `${actor} changed ${list}`;
}
