// Optimistic updates and their rollbacks, on a real TanStack Query cache, through the real API
// client, against an in-memory API behind fetch.
import { QueryClient, QueryObserver, notifyManager, type InfiniteData } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Api } from "@/lib/api/client";
import type { Task, TaskPage } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { makeQueryClient } from "@/lib/query/provider";
import { EditConflict, TaskActions } from "@/lib/tasks/actions";
import { cachedTask, flatten, placeInList, removeTask, upsertTask, type Pages } from "@/lib/tasks/cache";
import type { ListSpec } from "@/lib/tasks/ordering";
import { FakeApi } from "./fake-api";
import { task } from "./tasks";

const TODO: ListSpec = { status: "todo", sort: "position", order: "asc" };
const DOING: ListSpec = { status: "in_progress", sort: "position", order: "asc" };
const DONE: ListSpec = { status: "done", sort: "position", order: "asc" };

function pages(items: Task[], nextCursor: string | null = null): InfiniteData<TaskPage, string | null> {
  return { pages: [{ items, next_cursor: nextCursor }], pageParams: [null] };
}

function titles(client: QueryClient, spec: ListSpec): string[] {
  return flatten(client.getQueryData(keys.taskList("p", spec))).map((t) => t.title);
}

/** Every toast raised, and clear them between tests. */
const shown: string[] = [];
/** The Undo of each toast that offered one, latest last (what clicking it runs). */
const undos: (() => void)[] = [];
vi.mock("@/lib/toast", async (original) => {
  const real = await original<typeof import("@/lib/toast")>();
  return {
    ...real,
    toast: (input: Parameters<typeof real.toast>[0]) => {
      shown.push(input.title);
      if (input.action?.label === "Undo") undos.push(input.action.run);
      return real.toast(input);
    },
    toastError: (title: string, description?: string) => {
      shown.push(`error: ${title}: ${description ?? ""}`);
      return real.toastError(title, description);
    },
  };
});

describe("placing a task in a cached list", () => {
  it("inserts where the list's sort puts it and removes what its filters exclude", () => {
    const a = task({ title: "A", position: "a1" });
    const c = task({ title: "C", position: "a3" });
    let data = pages([a, c]);
    data = placeInList(data, TODO, task({ title: "B", position: "a2" }));
    expect(flatten(data).map((t) => t.title)).toEqual(["A", "B", "C"]);
    data = placeInList(data, TODO, { ...a, status: "done" });
    expect(flatten(data).map((t) => t.title)).toEqual(["B", "C"]);
  });

  it("leaves a task that sorts after everything loaded for the page that holds it", () => {
    const data = placeInList(pages([task({ position: "a1" })], "next"), TODO, task({ title: "Far", position: "z" }));
    expect(flatten(data).map((t) => t.title)).not.toContain("Far");
  });

  it("updates every cached copy together, and removes from all", () => {
    const client = new QueryClient();
    const t = task({ title: "Write", position: "a1" });
    client.setQueryData(keys.taskList("p", TODO), pages([t]));
    client.setQueryData(keys.taskList("p", DONE), pages([]));
    client.setQueryData(keys.taskList("p", { sort: "created", order: "asc" }), pages([t]));
    upsertTask(client, { ...t, status: "done", title: "Written" });
    expect(titles(client, TODO)).toEqual([]);
    expect(titles(client, DONE)).toEqual(["Written"]);
    expect(titles(client, { sort: "created", order: "asc" })).toEqual(["Written"]);
    expect(cachedTask(client, t.id)?.title).toBe("Written");
    removeTask(client, t);
    expect(titles(client, DONE)).toEqual([]);
    expect(cachedTask(client, t.id)).toBeUndefined();
  });
});

describe("TaskActions", () => {
  let client: QueryClient;
  let server: FakeApi;
  let actions: TaskActions;
  const a = task({ title: "A", position: "a1" });
  const b = task({ title: "B", position: "a2" });
  const c = task({ title: "C", position: "a3" });

  beforeEach(() => {
    shown.length = 0;
    undos.length = 0;
    client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    server = new FakeApi([a, b, c]);
    server.install();
    actions = new TaskActions(new Api("http://api", async () => "token"), client, true);
    client.setQueryData(keys.taskList("p", TODO), pages([a, b, c]));
    client.setQueryData(keys.taskList("p", DOING), pages([]));
    client.setQueryData(keys.taskList("p", DONE), pages([]));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("completes at once, before the server answers, then keeps the server's task", async () => {
    const release = server.hold();
    const done = actions.setDone(a, true);
    expect(titles(client, TODO)).toEqual(["B", "C"]);
    expect(titles(client, DONE)).toEqual(["A"]);
    expect(shown).toContain("Completed “A”");
    release();
    await done;
    expect(cachedTask(client, a.id)?.version).toBe(2);
    expect(server.requests.at(-1)?.headers.get("If-Match")).toBeNull(); // only the status: no If-Match
  });

  it("puts a task back where it was when completing fails, and says why", async () => {
    server.failNext(403, "forbidden");
    await actions.setDone(b, true);
    expect(titles(client, TODO)).toEqual(["A", "B", "C"]);
    expect(titles(client, DONE)).toEqual([]);
    expect(shown.at(-1)).toMatch(/^error: Could not complete “B”: Your role/);
  });

  it("shows a new task at once where the list's order puts it, then the server's", async () => {
    const release = server.hold();
    const created = actions.create("p", { title: "D" });
    expect(titles(client, TODO)).toEqual(["A", "B", "C", "D"]);
    expect(flatten(client.getQueryData(keys.taskList("p", TODO))).at(-1)?.id).toMatch(/-~/);
    release();
    const made = await created;
    expect(made?.id).toBe("p-01K101");
    expect(flatten(client.getQueryData(keys.taskList("p", TODO))).map((t) => t.id)).toEqual([a.id, b.id, c.id, "p-01K101"]);
    expect(server.requests[0]?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("takes a failed new task away again and gives its input back", async () => {
    server.failNext(422, "validation_failed");
    const failed = vi.fn();
    await actions.create("p", { title: "Bad" }, failed);
    expect(titles(client, TODO)).toEqual(["A", "B", "C"]);
    expect(failed).toHaveBeenCalledWith({ title: "Bad" });
  });

  it("moves a card between its new neighbours in one request, optimistically", async () => {
    const release = server.hold();
    const moved = actions.move(a, { status: "todo", index: 1, column: [a, b, c] });
    expect(titles(client, TODO)).toEqual(["B", "A", "C"]);
    release();
    await moved;
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: "POST", path: `/tasks/${a.id}/move`, body: { status: "todo", after: b.id, before: c.id, after_position: "a2", before_position: "a3" } });
    expect(titles(client, TODO)).toEqual(["B", "A", "C"]);
    expect(cachedTask(client, a.id)?.position).toBe("a2m");
  });

  it("moves across columns, and a drop on its own place sends nothing", async () => {
    await actions.move(c, { status: "in_progress", index: 0, column: [] });
    expect(titles(client, DOING)).toEqual(["C"]);
    expect(server.requests[0]?.body).toEqual({ status: "in_progress", after: null, before: null });
    await actions.move(a, { status: "todo", index: 0, column: [a, b] });
    expect(server.requests).toHaveLength(1);
  });

  it("reads the column again and tries once more when a neighbour moved (409)", async () => {
    server.failNext(409, "neighbours_moved");
    await actions.move(a, { status: "todo", index: 1, column: [a, b, c] });
    const paths = server.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([`POST /tasks/${a.id}/move`, `GET /tasks/${a.id}`, "GET /projects/p/tasks", `POST /tasks/${a.id}/move`]);
    expect(titles(client, TODO)).toEqual(["B", "A", "C"]);
  });

  it("puts a card back where it was when the move fails", async () => {
    server.failNext(403, "forbidden");
    await actions.move(a, { status: "done", index: 0, column: [] });
    expect(titles(client, TODO)).toEqual(["A", "B", "C"]);
    expect(titles(client, DONE)).toEqual([]);
    expect(shown.at(-1)).toMatch(/^error: Could not move “A”/);
  });

  it("edits run one after another, each with the version the previous one left", async () => {
    const first = actions.update(a, { title: "A1" });
    const second = actions.update(a, { priority: "high" });
    expect(cachedTask(client, a.id)).toMatchObject({ title: "A1", priority: "high" });
    await Promise.all([first, second]);
    expect(server.requests.map((r) => r.headers.get("If-Match"))).toEqual(['"1"', '"2"']);
    expect(cachedTask(client, a.id)).toMatchObject({ title: "A1", priority: "high", version: 3 });
  });

  it("a conflict (412) keeps what was typed on screen and brings the server's task", async () => {
    server.tasks.set(b.id, { ...b, title: "B by someone else", version: 5 });
    const error = await actions.update(b, { title: "B by me" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EditConflict);
    const conflict = error as EditConflict;
    expect(conflict.patch).toEqual({ title: "B by me" });
    expect(conflict.latest).toMatchObject({ title: "B by someone else", version: 5 });
    expect(cachedTask(client, b.id)?.title).toBe("B by me"); // until the user chooses
    // "Keep mine": the same edit over the version now on the server.
    await actions.update(b, conflict.patch, { version: conflict.latest.version });
    expect(server.tasks.get(b.id)).toMatchObject({ title: "B by me", version: 6 });
    expect(cachedTask(client, b.id)).toMatchObject({ title: "B by me", version: 6 });
  });

  it("after a conflict, \"use theirs\" shows the server's task", async () => {
    server.tasks.set(b.id, { ...b, title: "B by someone else", version: 5 });
    const conflict = (await actions.update(b, { title: "B by me" }).catch((e: unknown) => e)) as EditConflict;
    actions.resolve(conflict.latest);
    expect(titles(client, TODO)).toEqual(["A", "B by someone else", "C"]);
  });

  it("deletes at once to the trash, and Undo restores the same task from there", async () => {
    const release = server.hold();
    const removed = actions.remove(a);
    expect(titles(client, TODO)).toEqual(["B", "C"]); // gone before the server answers
    release();
    await removed;
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /tasks/${a.id}`]);
    expect(server.trash.has(a.id)).toBe(true);
    expect(shown).toContain("Moved “A” to the trash");
    undos.at(-1)?.();
    await vi.waitFor(() => expect(titles(client, TODO)).toEqual(["A", "B", "C"]));
    expect(server.requests.map((r) => `${r.method} ${r.path}`).at(-1)).toBe(`POST /tasks/${a.id}/restore`);
    expect(server.tasks.get(a.id)).toMatchObject({ id: a.id, title: "A", deleted_at: null });
    expect(cachedTask(client, a.id)?.version).toBe(server.tasks.get(a.id)?.version);
  });

  it("the Trash page's Restore is the same action: the task leaves the trash list and joins its lists", async () => {
    await actions.remove(a);
    client.setQueryData<Task[]>(keys.trash(a.project_id), [{ ...a, deleted_at: "2026-05-04T09:00:00Z" }]);
    const back = await actions.restore(a);
    expect(back).toMatchObject({ id: a.id, deleted_at: null });
    expect(client.getQueryData<Task[]>(keys.trash(a.project_id))).toEqual([]);
    expect(titles(client, TODO)).toEqual(["A", "B", "C"]);
  });

  it("puts a task back on screen when its delete is refused, and says why", async () => {
    server.failNext(403, "forbidden");
    await actions.remove(b);
    expect(titles(client, TODO)).toEqual(["A", "B", "C"]);
    expect(shown.at(-1)).toMatch(/^error: Could not delete “B”: Your role/);
    expect(undos).toHaveLength(0);
  });

  it("says why Undo could not restore (the project archived meanwhile), calmly", async () => {
    await actions.remove(c);
    server.failNext(409, "conflict", "the project is archived (read-only): unarchive it first");
    undos.at(-1)?.();
    await vi.waitFor(() => expect(shown.at(-1)).toMatch(/^error: Could not restore “C”: .*the project is archived/));
    expect(titles(client, TODO)).toEqual(["A", "B"]);
  });

  it("completes a repeating task through its series; Undo reopens it with a PATCH (no second occurrence)", async () => {
    const repeating = { ...a, recurrence: { rule: "FREQ=WEEKLY;BYDAY=MO", time_zone: "Europe/Berlin", local_due: "2026-05-04T09:00", number: 1 } };
    server.tasks.set(a.id, repeating);
    const saved = await actions.setDone(repeating, true);
    expect([saved?.status, saved?.version]).toEqual(["done", 2]);
    expect(server.requests[0]?.headers.get("Prefer")).toBe("return=representation");
    undos.at(-1)?.();
    await vi.waitFor(() => expect(server.requests).toHaveLength(2));
    expect(server.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", `/tasks/${a.id}/recurrence/complete`, null],
      ["PATCH", `/tasks/${a.id}`, { status: "todo" }],
    ]);
    await vi.waitFor(() => expect(cachedTask(client, a.id)?.status).toBe("todo"));
  });

  it("dropping a repeating task on Done reads the lists again (its next occurrence); other moves do not", async () => {
    const repeating = { ...a, recurrence: { rule: "FREQ=WEEKLY;BYDAY=MO", time_zone: "Europe/Berlin", local_due: "2026-05-04T09:00", number: 1 } };
    server.tasks.set(a.id, repeating);
    upsertTask(client, repeating);
    const stale = () => [TODO, DOING, DONE].map((spec) => client.getQueryState(keys.taskList("p", spec))?.isInvalidated);
    await actions.move(b, { status: "done", index: 0, column: [] });
    await actions.move(repeating, { status: "in_progress", index: 0, column: [] });
    expect(stale()).toEqual([false, false, false]);
    await actions.move(repeating, { status: "done", index: 0, column: [] });
    expect(titles(client, DONE).sort()).toEqual(["A", "B"]);
    expect(stale()).toEqual([true, true, true]);
  });

  it("tries a throttled (429) change again, with the app's retry policy", async () => {
    const app = makeQueryClient();
    app.setQueryData(keys.taskList("p", TODO), pages([a, b, c]));
    const throttled = new TaskActions(new Api("http://api", async () => "token"), app, true);
    server.failNext(429, "throttled");
    const saved = await throttled.setDone(a, true);
    expect(saved?.status).toBe("done");
    expect(server.requests.map((r) => r.method)).toEqual(["PATCH", "PATCH"]);
    expect(shown.some((t) => t.startsWith("error:"))).toBe(false);
  });
  // Quick changes of one task, before the first is answered.
  /** The first request reached the server (and waits there): what follows is held anew. */
  const sent = (n: number) => vi.waitFor(() => expect(server.requests).toHaveLength(n));


  it("keeps the later change on screen when the earlier is answered: complete, then reopen at once", async () => {
    const release = server.hold();
    const completed = actions.setDone(a, true);
    const reopened = actions.setDone({ ...a, status: "done" }, false);
    expect(titles(client, TODO)).toEqual(["A", "B", "C"]);
    await sent(1);
    release();
    const releaseReopen = server.hold(); // the reopen's request waits: the complete's answer alone
    await completed;
    expect(titles(client, DONE)).toEqual([]);
    expect(titles(client, TODO)).toEqual(["A", "B", "C"]);
    expect(cachedTask(client, a.id)).toMatchObject({ status: "todo", version: 2 });
    releaseReopen();
    await reopened;
    expect(cachedTask(client, a.id)).toMatchObject({ status: "todo", version: 3 });
    expect(server.tasks.get(a.id)?.status).toBe("todo");
  });

  it("moves there and back: the card stays where it went last, and the second move is not refused", async () => {
    const release = server.hold();
    const there = actions.move(a, { status: "in_progress", index: 0, column: [] });
    const moved = cachedTask(client, a.id);
    expect(moved?.status).toBe("in_progress");
    const back = actions.move(moved ?? a, { status: "todo", index: 0, column: [b, c] });
    await sent(1);
    release();
    const releaseBack = server.hold();
    await there;
    expect(titles(client, DOING)).toEqual([]);
    expect(titles(client, TODO)).toEqual(["A", "B", "C"]);
    releaseBack();
    await back;
    // One request each, the second checked against the version the first left (no 412, no re-read).
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.headers.get("If-Match")}`)).toEqual([
      `POST /tasks/${a.id}/move "1"`,
      `POST /tasks/${a.id}/move "2"`,
    ]);
    expect(titles(client, TODO)).toEqual(["A", "B", "C"]);
    expect(server.tasks.get(a.id)).toMatchObject({ status: "todo", version: 3 });
  });

  it("a task deleted right after completing does not come back with the complete's answer", async () => {
    const release = server.hold();
    const completed = actions.setDone(a, true);
    const removed = actions.remove({ ...a, status: "done" });
    expect(titles(client, DONE)).toEqual([]);
    await sent(1);
    release();
    const releaseDelete = server.hold();
    await completed;
    expect([...titles(client, TODO), ...titles(client, DONE)]).toEqual(["B", "C"]);
    releaseDelete();
    await removed;
    expect([...titles(client, TODO), ...titles(client, DONE)]).toEqual(["B", "C"]);
    expect(server.trash.get(a.id)?.status).toBe("done");
  });

  it("a failed change does not undo a later one; the later one's answer is what is shown", async () => {
    const release = server.hold();
    server.failNext(500, "internal");
    const completed = actions.setDone(a, true);
    const renamed = actions.update({ ...a, status: "done" }, { title: "A2" }, { guard: false });
    await sent(1);
    release();
    const releaseRename = server.hold();
    await completed;
    expect(shown.some((t) => t.startsWith("error: Could not complete “A”"))).toBe(true);
    expect(cachedTask(client, a.id)).toMatchObject({ status: "done", title: "A2" }); // not rolled back under the rename
    releaseRename();
    await renamed;
    expect(cachedTask(client, a.id)).toMatchObject({ status: "todo", title: "A2", version: 2 }); // the server's: not completed
    expect(titles(client, TODO)).toEqual(["A2", "B", "C"]);
  });

  it("when every change of the chain fails, the last rolls back and the task is read again", async () => {
    const release = server.hold();
    server.failNext(500, "internal");
    server.failNext(500, "internal");
    const completed = actions.setDone(a, true);
    const renamed = actions.update({ ...a, status: "done" }, { title: "A2" }, { guard: false }).catch(() => undefined);
    release();
    await Promise.all([completed, renamed]);
    expect(client.getQueryState(keys.taskList("p", TODO))?.isInvalidated).toBe(true);
    expect(client.getQueryState(keys.taskList("p", DONE))?.isInvalidated).toBe(true);
  });

  it("a task deleted meanwhile leaves the screen when a change of it is refused (404), not comes back", async () => {
    server.tasks.delete(b.id);
    await actions.setDone(b, true);
    expect(titles(client, TODO)).toEqual(["A", "C"]);
    expect(titles(client, DONE)).toEqual([]);
    expect(shown.at(-1)).toMatch(/^error: Could not complete “B”/);
  });
});

describe("how soon the screen hears of a change", () => {
  it("tells the components in a microtask, before any timer (the same task as the input)", async () => {
    const client = makeQueryClient();
    const seen: string[][] = [];
    const observer = new QueryObserver<Pages>(client, { queryKey: keys.taskList("p", TODO), enabled: false });
    // Subscribed as useQuery subscribes a component: through the notify manager's batch.
    const unsubscribe = observer.subscribe(notifyManager.batchCalls((result) => seen.push(flatten(result.data).map((t) => t.title))));
    client.setQueryData(keys.taskList("p", TODO), pages([task({ id: "a", title: "Shown at once" })]));
    upsertTask(client, task({ id: "b", title: "And this", position: "b" }));
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    // Both changes heard before the timer ran: not a task later.
    expect(timerRan).toBe(false);
    expect(seen.at(-1)).toEqual(["Shown at once", "And this"]);
    unsubscribe();
  });
});
