import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, collectAll, errorMessage, queryString } from "@/lib/api";

function respond(status: number, body: unknown) {
  return vi.fn().mockResolvedValue(new Response(status === 204 ? null : JSON.stringify(body), { status }));
}

afterEach(() => vi.unstubAllGlobals());

describe("ApiClient", () => {
  it("sends the ID token and the ETag as If-Match", async () => {
    const fetchMock = respond(200, { id: "t1" });
    vi.stubGlobal("fetch", fetchMock);
    const api = new ApiClient("http://api", async () => "id-token");
    await api.updateTask("t1", 7, { status: "done" });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("http://api/tasks/t1");
    expect(init.method).toBe("PATCH");
    expect(init.headers).toMatchObject({ Authorization: "id-token", "If-Match": '"7"', Prefer: "return=representation" });
    expect(JSON.parse(init.body as string)).toEqual({ status: "done" });
  });

  it("puts filters in the query and escapes ids", async () => {
    const fetchMock = respond(200, { items: [], next_cursor: null });
    vi.stubGlobal("fetch", fetchMock);
    await new ApiClient("http://api", async () => "t").listTasks("a/b", { status: "todo", label: "" }, "c1", 10);
    expect(fetchMock.mock.calls[0]?.[0]).toBe("http://api/projects/a%2Fb/tasks?status=todo&limit=10&cursor=c1");
  });

  it("says what a 412 means", async () => {
    vi.stubGlobal("fetch", respond(412, { error: { code: "precondition_failed", message: "stale", details: null } }));
    const error = await new ApiClient("http://api", async () => "t").getTask("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(errorMessage(error)).toBe("This task changed since you opened it: reload to see the latest version.");
  });

  it("lists what is wrong in a 422", async () => {
    const body = {
      error: {
        code: "validation_failed",
        message: "the request is not valid",
        details: [{ loc: ["body", "title"], message: "must be 1-200 characters after trimming", type: "value_error" }],
      },
    };
    vi.stubGlobal("fetch", respond(422, body));
    const error = await new ApiClient("http://api", async () => "t").createProject({ name: "" }).catch((e: unknown) => e);
    expect(errorMessage(error)).toContain("title: must be 1-200 characters after trimming");
  });

  it("explains a 413", () => {
    const error = ApiError.fromResponse(413, { error: { code: "payload_too_large", message: "the file is over 25 MiB" } });
    expect(error.message).toBe("Too large: the file is over 25 MiB");
  });

  it("reports a refused token and ends the session", async () => {
    vi.stubGlobal("fetch", respond(401, { message: "Unauthorized" }));
    const ended = vi.fn();
    const error = await new ApiClient("http://api", async () => "t", ended).me().catch((e: unknown) => e);
    expect(ended).toHaveBeenCalledOnce();
    expect((error as ApiError).status).toBe(401);
  });

  it("does not call the API without a token", async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    const ended = vi.fn();
    await expect(new ApiClient("http://api", async () => null, ended).me()).rejects.toThrow(/session has ended/);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(ended).toHaveBeenCalled();
  });

  it("words a network failure", () => {
    expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/Could not reach the server/);
  });
});

describe("helpers", () => {
  it("builds query strings without empty values", () => {
    expect(queryString({ a: "1", b: undefined, c: null, d: "", e: false })).toBe("?a=1&e=false");
    expect(queryString({})).toBe("");
  });

  it("collects every page", async () => {
    const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
      start: { items: [1, 2], next_cursor: "p2" },
      p2: { items: [3], next_cursor: null },
    };
    expect(await collectAll(async (cursor) => pages[cursor ?? "start"]!)).toEqual([1, 2, 3]);
  });
});
