// Deletes held back for the toast's Undo (lib/held.ts): nothing is sent while Undo is
// possible, the DELETE goes once when the toast closes or the page goes away (keepalive),
// and a refused one brings the item back and says why.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Api } from "@/lib/api/client";
import { ApiError } from "@/lib/api/errors";
import { flush, heldKey, holdDelete, isHeld } from "@/lib/held";
import type { Toast } from "@/lib/toast";

/** Every toast raised (the real store still gets them). */
const raised: Omit<Toast, "id" | "tone" | "duration">[] = [];
vi.mock("@/lib/toast", async (original) => {
  const real = await original<typeof import("@/lib/toast")>();
  return {
    ...real,
    toast: (input: Parameters<typeof real.toast>[0]) => {
      raised.push(input);
      return real.toast(input);
    },
    toastError: (title: string, description?: string) => {
      raised.push({ title: `error: ${title}: ${description ?? ""}` });
      return real.toastError(title, description);
    },
  };
});

beforeEach(() => {
  raised.length = 0;
});
afterEach(() => vi.unstubAllGlobals());

function item(id: string, send: (keepalive: boolean) => Promise<unknown>) {
  const key = heldKey("comment", id);
  const calls: boolean[] = [];
  const sent = vi.fn();
  holdDelete({
    key,
    title: "Deleted the comment",
    what: "the comment",
    send: (keepalive) => {
      calls.push(keepalive);
      return send(keepalive);
    },
    sent,
  });
  const toast = raised.at(-1);
  return { key, calls, sent, toast };
}

describe("a held delete", () => {
  it("sends nothing when Undo is taken, even after its toast closes", async () => {
    const held = item("c1", async () => undefined);
    expect(isHeld(held.key)).toBe(true); // hidden at once
    expect(held.toast?.title).toBe("Deleted the comment");
    expect(held.toast?.action?.label).toBe("Undo");
    held.toast?.action?.run();
    held.toast?.onClose?.();
    await flush(held.key, false);
    expect(held.calls).toEqual([]);
    expect(held.sent).not.toHaveBeenCalled();
    expect(isHeld(held.key)).toBe(false); // shown again
  });

  it("sends the DELETE once when its toast closes, and then Undo is too late", async () => {
    let answer: () => void = () => {};
    const held = item("c2", () => new Promise<void>((resolve) => (answer = resolve)));
    held.toast?.onClose?.();
    held.toast?.onClose?.();
    expect(isHeld(held.key)).toBe(true); // still hidden while the DELETE runs
    answer();
    await vi.waitFor(() => expect(held.sent).toHaveBeenCalledTimes(1));
    expect(isHeld(held.key)).toBe(false);
    expect(held.calls).toEqual([false]);
    held.toast?.action?.run();
    expect(held.calls).toEqual([false]);
  });

  it("sends what is still held, with keepalive, when the page goes away", async () => {
    const first = item("c3", async () => undefined);
    const second = item("c4", async () => undefined);
    first.toast?.action?.run(); // undone: stays
    window.dispatchEvent(new Event("pagehide"));
    await vi.waitFor(() => expect(second.sent).toHaveBeenCalledTimes(1));
    expect(second.calls).toEqual([true]);
    expect(first.calls).toEqual([]);
  });

  it("brings the item back and says why when the DELETE is refused; a 404 counts as done", async () => {
    const refused = item("c5", async () => {
      throw ApiError.fromResponse(409, { error: { code: "conflict", message: "the project is archived", details: { reason: "project_archived" } } });
    });
    refused.toast?.onClose?.();
    await vi.waitFor(() => expect(raised.at(-1)?.title).toMatch(/^error: Could not delete the comment: /));
    expect(refused.sent).not.toHaveBeenCalled();
    expect(isHeld(refused.key)).toBe(false); // back on screen
    const gone = item("c6", async () => {
      throw ApiError.fromResponse(404, { error: { code: "not_found", message: "comment not found" } });
    });
    gone.toast?.onClose?.();
    await vi.waitFor(() => expect(gone.sent).toHaveBeenCalledTimes(1));
  });

  it("goes when the toast store lets its toast go: dismissed once, or pushed out by newer ones", async () => {
    const real = await vi.importActual<typeof import("@/lib/toast")>("@/lib/toast");
    const closed: string[] = [];
    const first = real.toast({ title: "one", onClose: () => closed.push("one") });
    real.dismissToast(first);
    real.dismissToast(first);
    expect(closed).toEqual(["one"]);
    for (const n of ["2", "3", "4", "5", "6"]) real.toast({ title: n, onClose: () => closed.push(n) });
    expect(closed).toEqual(["one", "2"]);
  });

  it("is sent by the API client with keepalive when asked", async () => {
    const fetchMock = vi.fn<(request: Request) => Promise<Response>>(async () => new Response(null, { status: 204 }));
    vi.stubGlobal("fetch", fetchMock);
    const api = new Api("http://api", async () => "t");
    await api.deleteComment("p-1", "c7", true);
    await api.removeChecklistItem("p-1", "i1", true);
    await api.deleteAttachment("p-1", "a1");
    const requests = fetchMock.mock.calls.map(([request]) => [request.method, new URL(request.url).pathname, request.keepalive]);
    expect(requests).toEqual([
      ["DELETE", "/tasks/p-1/comments/c7", true],
      ["DELETE", "/tasks/p-1/checklist/i1", true],
      ["DELETE", "/tasks/p-1/attachments/a1", false],
    ]);
  });
});
