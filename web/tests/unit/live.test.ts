// Live updates in the client: posts applied to a real TanStack Query cache, the socket's
// subscriptions, reconnects and pings against a fake WebSocket and fake timers.
import { type InfiniteData } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Api } from "@/lib/api/client";
import type { Task, TaskPage } from "@/lib/api/types";
import { applyChanges, describeChange, followMyChanges, type LiveChange, type LiveFrame } from "@/lib/live/messages";
import { defaultBackoff, LiveSocket, RENEW_BEFORE_MS, type SocketLike } from "@/lib/live/socket";
import { keys } from "@/lib/query/keys";
import { makeQueryClient } from "@/lib/query/provider";
import { cachedTask, flatten } from "@/lib/tasks/cache";
import { TaskActions } from "@/lib/tasks/actions";
import { isTemporary, type ListSpec } from "@/lib/tasks/ordering";
import { FakeApi } from "./fake-api";
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

afterEach(() => vi.unstubAllGlobals());

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

  it("puts my task, posted before my create was answered, in place of its optimistic copy", async () => {
    const client = makeQueryClient();
    const server = new FakeApi();
    server.install();
    const actions = new TaskActions(new Api("http://api", async () => "token"), client, true);
    client.setQueryData(keys.taskList("p", TODO), pages([]));
    const listed = () => flatten(client.getQueryData(keys.taskList("p", TODO))).map((t) => t.id);
    const release = server.hold();
    const created = actions.create("p", { title: "Call Ada" });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    expect(listed()).toHaveLength(1);
    expect(isTemporary(listed()[0] ?? "")).toBe(true);

    // Someone else's task of the same title is theirs: both are shown.
    const theirs = task({ title: "Call Ada", created_by: "bob" });
    applyChanges(client, [change(theirs, { op: "created", actor_id: "bob" })], "alice");
    expect(listed()).toHaveLength(2);

    // Mine as the server stored it (the fake's next id), posted before the create's answer:
    // it takes the optimistic copy's place, and the answer finds it there.
    const mine = task({ id: "p-01K101", title: "Call Ada", version: 1, position: "z9999", created_by: "alice" });
    applyChanges(client, [change(mine, { op: "created", actor_id: "alice" })], "alice");
    expect(listed().sort()).toEqual([theirs.id, mine.id].sort());
    release();
    expect((await created)?.id).toBe(mine.id);
    expect(listed().sort()).toEqual([theirs.id, mine.id].sort());
  });

  describe("a post about a task I am changing", () => {
    const a = task({ title: "A", position: "a1" });
    function setUp() {
      const client = makeQueryClient();
      const server = new FakeApi([a]);
      server.install();
      const actions = new TaskActions(new Api("http://api", async () => "token"), client, true);
      client.setQueryData(keys.taskList("p", TODO), pages([a]));
      const stop = followMyChanges(client, "alice");
      return { client, server, actions, stop };
    }

    it("waits for my change's answer, and is dropped when the answer is newer", async () => {
      const { client, server, actions, stop } = setUp();
      const release = server.hold();
      const done = actions.setDone(a, true);
      await vi.waitFor(() => expect(server.requests).toHaveLength(1));
      // Bob renamed it just before my complete reached the server: posted while mine is on its way.
      const renamed = { ...a, title: "Renamed", version: 2 };
      server.tasks.set(a.id, renamed);
      const notices = applyChanges(client, [change(renamed, { changed: ["title"] })], "alice");
      expect(notices).toEqual([{ taskId: a.id, actorId: "bob", fields: ["title"] }]); // told at once
      expect(cachedTask(client, a.id)).toMatchObject({ status: "done", title: "A" }); // my change stays on screen
      release();
      await done;
      expect(cachedTask(client, a.id)).toMatchObject({ status: "done", title: "Renamed", version: 3 });
      stop();
    });

    it("is applied after my answer when it is newer than the answer", async () => {
      const { client, server, actions, stop } = setUp();
      const release = server.hold();
      const done = actions.setDone(a, true);
      await vi.waitFor(() => expect(server.requests).toHaveLength(1));
      const later = { ...a, status: "in_progress" as const, completed_at: null, version: 5 };
      applyChanges(client, [change(later, { changed: ["status"] })], "alice");
      expect(cachedTask(client, a.id)?.status).toBe("done");
      release();
      await done;
      expect(cachedTask(client, a.id)).toMatchObject({ status: "in_progress", version: 5 });
      stop();
    });

    it("a deletion is applied at once, and my refused change does not bring the task back", async () => {
      const { client, server, actions, stop } = setUp();
      const release = server.hold();
      const done = actions.setDone(a, true);
      await vi.waitFor(() => expect(server.requests).toHaveLength(1));
      server.tasks.delete(a.id);
      applyChanges(client, [change(a, { op: "deleted", version: 2, item: null })], "alice");
      expect(flatten(client.getQueryData(keys.taskList("p", TODO)))).toEqual([]);
      release();
      await done;
      expect(cachedTask(client, a.id)).toBeUndefined();
      stop();
    });
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

/** An unsigned JWT with these claims (the socket only reads `exp`). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${part({ alg: "none" })}.${part(claims)}.sig`;
}

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

  it("reconnects with a fresh token shortly before the current one expires", async () => {
    FakeSocket.opened = [];
    const clock = timers();
    let now = 1_000_000_000_000;
    const issued: string[] = [];
    let reconnects = 0;
    const live = new LiveSocket({
      url: "ws://api/realtime",
      // Each call a new token valid for an hour from the clock's time (the session keeper's).
      token: async () => {
        const token = jwt({ exp: Math.floor(now / 1000) + 3600, n: issued.length });
        issued.push(token);
        return token;
      },
      onFrame: () => undefined,
      onReconnect: () => (reconnects += 1),
      open: (url) => new FakeSocket(url),
      backoff: () => 1000,
      pingEveryMs: 300_000,
      timers: clock,
      now: () => now,
    });
    live.subscribe("p1");
    live.start();
    await settle();
    const first = FakeSocket.opened[0]!;
    first.accept();
    const renewAfter = 3600_000 - RENEW_BEFORE_MS;
    expect([...clock.pending.values()].map((t) => t.ms).sort((a, b) => a - b)).toEqual([300_000, renewAfter]);

    now += renewAfter;
    clock.fire(renewAfter);
    await settle();
    expect(first.readyState).toBe(3); // closed by us: no backoff timer for it
    const second = FakeSocket.opened[1]!;
    expect(second.url).toBe(`ws://api/realtime?token=${encodeURIComponent(issued[1]!)}`);
    second.accept();
    expect(second.sent).toEqual([{ action: "subscribe", project_id: "p1" }]);
    expect(reconnects).toBe(1); // what was posted in between is read again
    // The new token's renewal, and the ping: nothing else waits.
    expect([...clock.pending.values()].map((t) => t.ms).sort((a, b) => a - b)).toEqual([300_000, renewAfter]);

    live.stop();
    expect(clock.pending.size).toBe(0);
  });

  it("reconnects at once when the server says the token expired, and never loops on a short one", async () => {
    FakeSocket.opened = [];
    const clock = timers();
    const now = 1_000_000_000_000;
    const live = new LiveSocket({
      url: "ws://api/realtime",
      token: async () => jwt({ exp: Math.floor(now / 1000) + 10 }), // 10 s left
      onFrame: () => undefined,
      onReconnect: () => undefined,
      open: (url) => new FakeSocket(url),
      backoff: () => 1000,
      pingEveryMs: 300_000,
      timers: clock,
      now: () => now,
    });
    live.start();
    await settle();
    FakeSocket.opened[0]!.accept();
    // Less left than the margin: a short wait, not an immediate reconnect.
    expect([...clock.pending.values()].map((t) => t.ms).sort((a, b) => a - b)).toEqual([5000, 300_000]);

    const expired = { type: "error", action: "ping", project_id: null, error: { code: "token_expired", message: "" } };
    FakeSocket.opened[0]!.onmessage?.({ data: JSON.stringify(expired) });
    await settle();
    expect(FakeSocket.opened).toHaveLength(2); // no backoff: at once
    expect(FakeSocket.opened[0]!.readyState).toBe(3);
    expect(clock.pending.size).toBe(0); // the old socket's ping and renewal are gone

    // Closed by the server (its token expired): the usual backoff, then a new token.
    FakeSocket.opened[1]!.accept();
    FakeSocket.opened[1]!.close();
    expect([...clock.pending.values()].map((t) => t.ms)).toEqual([1000]);
    clock.fire(1000);
    await settle();
    expect(FakeSocket.opened).toHaveLength(3);
    live.stop();
  });

  it("backs off up to 30 s, with jitter", () => {
    expect(defaultBackoff(1, () => 0)).toBe(1000);
    expect(defaultBackoff(4, () => 0)).toBe(8000);
    expect(defaultBackoff(20, () => 0)).toBe(30_000);
    expect(defaultBackoff(20, () => 1)).toBe(39_000);
  });
});
