// Live updates in the client: posts applied to a real TanStack Query cache, the socket's
// subscriptions, reconnects and pings against a fake WebSocket and fake timers.
import { type InfiniteData } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { Task, TaskPage } from "@/lib/api/types";
import { applyChanges, describeChange, type LiveChange, type LiveFrame } from "@/lib/live/messages";
import { defaultBackoff, LiveSocket, type SocketLike } from "@/lib/live/socket";
import { keys } from "@/lib/query/keys";
import { makeQueryClient } from "@/lib/query/provider";
import { cachedTask, flatten } from "@/lib/tasks/cache";
import type { ListSpec } from "@/lib/tasks/ordering";
import { task } from "./tasks";

const TODO: ListSpec = { status: "todo", sort: "position", order: "asc" };

function pages(items: Task[]): InfiniteData<TaskPage, string | null> {
  return { pages: [{ items, next_cursor: null }], pageParams: [null] };
}

function change(item: Task, fields: Partial<LiveChange> = {}): LiveChange {
  return {
    kind: "task",
    op: "updated",
    id: item.id,
    project_id: item.project_id,
    version: item.version,
    seq: "1",
    changed: [],
    actor_id: "bob",
    item: item as unknown as Record<string, unknown>,
    ...fields,
  };
}

describe("applying changes", () => {
  it("updates every cached copy of a task, and never goes back to an older version", () => {
    const client = makeQueryClient();
    const held = task({ version: 2, title: "Old" });
    client.setQueryData(keys.taskList("p", TODO), pages([held]));
    client.setQueryData(keys.task(held.id), held);

    const newer = { ...held, version: 3, title: "New", due_at: "2026-06-01T09:00:00.000Z" };
    const notices = applyChanges(client, [change(newer, { changed: ["title", "due_at"] })], "alice");
    expect(cachedTask(client, held.id)?.title).toBe("New");
    expect(flatten(client.getQueryData(keys.taskList("p", TODO))).map((t) => t.title)).toEqual(["New"]);
    expect(notices).toEqual([{ taskId: held.id, actorId: "bob", fields: ["title", "due_at"] }]);

    applyChanges(client, [change({ ...held, version: 2, title: "Replayed" })], "alice");
    expect(cachedTask(client, held.id)?.title).toBe("New");
  });

  it("adds a created task to its lists, removes a deleted one, and says nothing of my own changes", () => {
    const client = makeQueryClient();
    client.setQueryData(keys.taskList("p", TODO), pages([]));
    const created = task({ title: "Fresh" });

    expect(applyChanges(client, [change(created, { op: "created", actor_id: "alice" })], "alice")).toEqual([]);
    expect(flatten(client.getQueryData(keys.taskList("p", TODO))).map((t) => t.title)).toEqual(["Fresh"]);

    applyChanges(client, [change(created, { op: "deleted", version: 1, item: null })], "alice");
    expect(flatten(client.getQueryData(keys.taskList("p", TODO)))).toEqual([]);
    expect(client.getQueryData(keys.task(created.id))).toBeUndefined();
  });

  it("marks comments, members and the bell stale for a refetch", () => {
    const client = makeQueryClient();
    for (const key of [keys.comments("p-t1"), keys.members("p"), keys.unread, keys.projects]) client.setQueryData(key, []);
    const base = { op: "created" as const, project_id: "p", version: null, seq: "2", changed: [] as string[], actor_id: "bob" };
    applyChanges(
      client,
      [
        { ...base, kind: "comment", id: "c1", item: { task_id: "p-t1" } },
        { ...base, kind: "member", id: "alice", item: {} },
        { ...base, kind: "unread", id: "alice", project_id: null, item: { unread: 2 } },
      ],
      "alice",
    );
    for (const key of [keys.comments("p-t1"), keys.members("p"), keys.unread, keys.projects]) {
      expect(client.getQueryState(key)?.isInvalidated).toBe(true);
    }
  });

  it("says who changed what in words", () => {
    expect(describeChange("Bob", ["due_at"])).toBe("Bob changed the due date");
    expect(describeChange("Bob", ["title", "due_at", "labels"])).toBe("Bob changed the title, the due date and the labels");
  });
});

class FakeSocket implements SocketLike {
  static opened: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
}

function timers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  return {
    pending,
    set: (fn: () => void, ms: number) => {
      next += 1;
      pending.set(next, { fn, ms });
      return next;
    },
    clear: (handle: unknown) => void pending.delete(handle as number),
    /** Runs the timers that wait ``ms`` (and removes them). */
    fire(ms: number) {
      for (const [id, timer] of [...pending]) {
        if (timer.ms === ms) {
          pending.delete(id);
          timer.fn();
        }
      }
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the live socket", () => {
  it("subscribes once per project, again after a reconnect, and asks for a refetch then", async () => {
    FakeSocket.opened = [];
    const clock = timers();
    const frames: LiveFrame[] = [];
    let reconnects = 0;
    const live = new LiveSocket({
      url: "ws://api/realtime",
      token: async () => "id.token",
      onFrame: (frame) => frames.push(frame),
      onReconnect: () => (reconnects += 1),
      open: (url) => new FakeSocket(url),
      backoff: (attempt) => attempt * 1000,
      pingEveryMs: 300_000,
      timers: clock,
    });
    live.start();
    await settle();
    const first = FakeSocket.opened[0]!;
    expect(first.url).toBe("ws://api/realtime?token=id.token");
    const leave = live.subscribe("p1"); // before the socket is open: sent on open
    const leaveToo = live.subscribe("p1");
    first.accept();
    expect(first.sent).toEqual([{ action: "subscribe", project_id: "p1" }]);

    first.onmessage?.({ data: JSON.stringify({ type: "changes", changes: [] }) });
    first.onmessage?.({ data: "not json" });
    expect(frames).toEqual([{ type: "changes", changes: [] }]);

    clock.fire(300_000);
    expect(first.sent.at(-1)).toEqual({ action: "ping" });

    first.close(); // dropped: back in 1 s, then subscribed again and told to refetch
    clock.fire(1000);
    await settle();
    const second = FakeSocket.opened[1]!;
    second.accept();
    expect(second.sent).toEqual([{ action: "subscribe", project_id: "p1" }]);
    expect(reconnects).toBe(1);

    live.renew("p1"); // shared again after a removal
    live.renew("p2"); // not followed here: nothing
    expect(second.sent).toEqual([
      { action: "subscribe", project_id: "p1" },
      { action: "subscribe", project_id: "p1" },
    ]);

    leave();
    expect(second.sent).toHaveLength(2); // another view still shows p1
    leaveToo();
    expect(second.sent.at(-1)).toEqual({ action: "unsubscribe", project_id: "p1" });

    live.stop();
    expect(FakeSocket.opened).toHaveLength(2);
    expect(clock.pending.size).toBe(0);
  });

  it("backs off up to 30 s, with jitter", () => {
    expect(defaultBackoff(1, () => 0)).toBe(1000);
    expect(defaultBackoff(4, () => 0)).toBe(8000);
    expect(defaultBackoff(20, () => 0)).toBe(30_000);
    expect(defaultBackoff(20, () => 1)).toBe(39_000);
  });
});
