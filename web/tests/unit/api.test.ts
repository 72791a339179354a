import { afterEach, describe, expect, it, vi } from "vitest";
import { Api, collectAll } from "@/lib/api/client";
import { ApiError, errorMessage, isLimitError } from "@/lib/api/errors";

type Fetch = (input: Request | string, init?: RequestInit) => Promise<Response>;

function respond(status: number, body: unknown) {
  return vi.fn<Fetch>(async () => new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }));
}

/** What the client sent: a Request (openapi-fetch) or url + init (plain fetch). */
async function sent(mock: ReturnType<typeof respond>, call = 0) {
  const [first, init] = mock.mock.calls[call] as [Request | string, RequestInit | undefined];
  if (typeof first === "string") {
    return { url: first, method: init?.method ?? "GET", headers: new Headers(init?.headers), body: init?.body ? JSON.parse(String(init.body)) : null };
  }
  const text = await first.clone().text();
  return { url: first.url, method: first.method, headers: first.headers, body: text ? JSON.parse(text) : null };
}

afterEach(() => vi.unstubAllGlobals());

describe("Api", () => {
  it("sends the ID token, the ETag as If-Match, and asks for the changed task back", async () => {
    const fetchMock = respond(200, { id: "t1" });
    vi.stubGlobal("fetch", fetchMock);
    await new Api("http://api", async () => "id-token").updateTask("t1", { status: "done" }, 7);
    const request = await sent(fetchMock);
    expect(request.url).toBe("http://api/tasks/t1");
    expect(request.method).toBe("PATCH");
    expect(request.headers.get("Authorization")).toBe("id-token");
    expect(request.headers.get("If-Match")).toBe('"7"');
    expect(request.headers.get("Prefer")).toBe("return=representation");
    expect(request.body).toEqual({ status: "done" });
  });

  it("leaves If-Match out when no version is given (a change of status alone)", async () => {
    const fetchMock = respond(200, { id: "t1" });
    vi.stubGlobal("fetch", fetchMock);
    await new Api("http://api", async () => "t").updateTask("t1", { status: "done" });
    expect((await sent(fetchMock)).headers.get("If-Match")).toBeNull();
  });

  it("puts filters in the query and escapes ids", async () => {
    const fetchMock = respond(200, { items: [], next_cursor: null });
    vi.stubGlobal("fetch", fetchMock);
    await new Api("http://api", async () => "t").listTasks("a/b", { status: "todo", sort: "position", limit: 20 }, "c1");
    const url = new URL((await sent(fetchMock)).url);
    expect(url.pathname).toBe("/projects/a%2Fb/tasks");
    expect(Object.fromEntries(url.searchParams)).toEqual({ status: "todo", sort: "position", limit: "20", cursor: "c1" });
  });

  it("moves a task with its neighbours' ids and positions in one request", async () => {
    const fetchMock = respond(200, { id: "t1", status: "in_progress", position: "b", version: 4 });
    vi.stubGlobal("fetch", fetchMock);
    const moved = await new Api("http://api", async () => "t").moveTask("t1", { status: "in_progress", after: "t0", before: null, after_position: "a" }, 3);
    const request = await sent(fetchMock);
    expect(request.url).toBe("http://api/tasks/t1/move");
    expect(request.method).toBe("POST");
    expect(request.headers.get("If-Match")).toBe('"3"');
    expect(request.body).toEqual({ status: "in_progress", after: "t0", before: null, after_position: "a" });
    expect(moved.position).toBe("b");
  });

  it("creates with an Idempotency-Key", async () => {
    const fetchMock = respond(201, { id: "t1" });
    vi.stubGlobal("fetch", fetchMock);
    await new Api("http://api", async () => "t").createTask("p", { title: "A" }, "key-1");
    expect((await sent(fetchMock)).headers.get("Idempotency-Key")).toBe("key-1");
  });

  it("says what a 412 means", async () => {
    vi.stubGlobal("fetch", respond(412, { error: { code: "precondition_failed", message: "stale", details: null } }));
    const error = await new Api("http://api", async () => "t").getTask("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(412);
    expect(errorMessage(error)).toBe("This task changed since you opened it.");
  });

  it("lists what is wrong in a 422", async () => {
    const body = {
      error: { code: "validation_failed", message: "the request is not valid", details: [{ loc: ["body", "title"], message: "must be 1-200 characters after trimming", type: "value_error" }] },
    };
    vi.stubGlobal("fetch", respond(422, body));
    const error = await new Api("http://api", async () => "t").createProject("").catch((e: unknown) => e);
    expect(errorMessage(error)).toContain("title: must be 1-200 characters after trimming");
  });

  it("explains a 413", () => {
    expect(ApiError.fromResponse(413, { error: { code: "payload_too_large", message: "the file is over 25 MiB" } }).message).toBe("Too large: the file is over 25 MiB");
  });

  it("says which quota refused a request, calmly and without 'wait a moment'", () => {
    const full = ApiError.fromResponse(409, {
      error: { code: "limit_reached", message: "the limit of 5000 tasks in this project is reached", details: { limit: "tasks_per_project", max: 5000 } },
    });
    expect(full.message).toBe("Limit reached: the limit of 5000 tasks in this project is reached");
    expect(isLimitError(full)).toBe(true);
    const today = ApiError.fromResponse(429, {
      error: { code: "rate_limited", message: "at most 200 attachments a day; try again after midnight UTC" },
    });
    expect(today.message).toBe("Limit reached: at most 200 attachments a day; try again after midnight UTC");
    expect(isLimitError(today)).toBe(true);
    // The stage's own throttling has no code of ours: the generic words stay.
    expect(ApiError.fromResponse(429, { message: "Too Many Requests" }).message).toBe("Too many requests: wait a moment and try again.");
    expect(isLimitError(ApiError.fromResponse(409, { error: { code: "conflict", message: "x" } }))).toBe(false);
  });

  it("reports a refused token and ends the session", async () => {
    vi.stubGlobal("fetch", respond(401, { message: "Unauthorized" }));
    const ended = vi.fn();
    const error = await new Api("http://api", async () => "t", ended).me().catch((e: unknown) => e);
    expect(ended).toHaveBeenCalledOnce();
    expect((error as ApiError).status).toBe(401);
  });

  it("does not call the API without a token", async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    const ended = vi.fn();
    await expect(new Api("http://api", async () => null, ended).me()).rejects.toThrow(/session has ended/);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(ended).toHaveBeenCalled();
  });

  it("asks /config without a token", async () => {
    const fetchMock = respond(200, { region: "r" });
    vi.stubGlobal("fetch", fetchMock);
    await new Api("http://api", async () => null).config();
    expect((await sent(fetchMock)).headers.get("Authorization")).toBeNull();
  });

  it("words a network failure", () => {
    expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/Could not reach the server/);
  });
});

describe("collectAll", () => {
  it("collects every page", async () => {
    const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
      start: { items: [1, 2], next_cursor: "p2" },
      p2: { items: [3], next_cursor: null },
    };
    expect(await collectAll(async (cursor) => pages[cursor ?? "start"]!)).toEqual([1, 2, 3]);
  });
});
