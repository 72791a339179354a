import { describe, expect, it, vi } from "vitest";
import { afterLogIn, type Session } from "@/lib/session/cognito";
import { SessionKeeper, type KeeperDeps } from "@/lib/session/keeper";

function session(expiresIn: number, token = "id-1"): Session {
  return { email: "a@example.com", idToken: token, expiresAt: Date.now() + expiresIn };
}

function deps(refresh: KeeperDeps["refresh"], logOut: KeeperDeps["logOut"] = vi.fn().mockResolvedValue(undefined)): KeeperDeps {
  return { refresh, logOut };
}

describe("SessionKeeper", () => {
  it("holds nothing until restored: the session comes from the server (cookie), not storage", async () => {
    const refresh = vi.fn().mockResolvedValue(session(3600_000));
    const keeper = new SessionKeeper(vi.fn(), deps(refresh));
    expect(keeper.session).toBeNull();
    expect(await keeper.token()).toBeNull();
    await keeper.restore();
    expect(await keeper.token()).toBe("id-1");
    expect(refresh).toHaveBeenCalledOnce(); // the restored token is used while valid
  });

  it("restores to no session when the server has none or cannot be reached", async () => {
    const listener = vi.fn();
    const keeper = new SessionKeeper(listener, deps(vi.fn().mockRejectedValue(new Error("offline"))));
    expect(await keeper.restore()).toBeNull();
    expect(listener).toHaveBeenLastCalledWith(null, null); // not "expired": there was none
  });

  it("refreshes once for concurrent callers when the token is about to expire", async () => {
    const refresh = vi.fn().mockResolvedValueOnce(session(10_000)).mockResolvedValue(session(3600_000, "id-2"));
    const keeper = new SessionKeeper(vi.fn(), deps(refresh));
    await keeper.restore();
    expect(await Promise.all([keeper.token(), keeper.token()])).toEqual(["id-2", "id-2"]);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(keeper.session?.idToken).toBe("id-2");
  });

  it("ends the session when the refresh is refused", async () => {
    const listener = vi.fn();
    const keeper = new SessionKeeper(listener, deps(vi.fn().mockResolvedValueOnce(session(-1)).mockResolvedValue(null)));
    await keeper.restore();
    expect(await keeper.token()).toBeNull();
    expect(listener).toHaveBeenLastCalledWith(null, "expired");
  });

  it("logs out locally even when the server cannot be reached", async () => {
    const listener = vi.fn();
    const keeper = new SessionKeeper(listener, deps(vi.fn(), vi.fn().mockRejectedValue(new Error("offline"))));
    keeper.start(session(3600_000));
    await keeper.logOut();
    expect(keeper.session).toBeNull();
    expect(listener).toHaveBeenLastCalledWith(null, "logout");
  });
});

describe("afterLogIn", () => {
  it("goes back to a page of this site only", () => {
    expect(afterLogIn("/tasks/t1")).toBe("/tasks/t1");
    expect(afterLogIn(null)).toBe("/projects/inbox");
    expect(afterLogIn("/tasks/t1?view=board#c1")).toBe("/tasks/t1?view=board#c1");
    const elsewhere = [
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example", // the tab is dropped by the URL parser: "//evil.example"
      "/\n/evil.example",
      "/%09/evil.example",
      "/\t\\evil.example",
      " //evil.example",
      "https://evil.example",
      "https:evil.example",
      "https:/\\evil.example",
      "javascript:alert(1)",
      "data:text/html,x",
      "/.//evil.example", // dot segments: the resolved path is "//evil.example"
      "/x/..//evil.example",
      "/%2e//evil.example",
    ];
    for (const target of elsewhere) {
      const path = afterLogIn(target);
      // What the router is given must stay on this site when resolved once more.
      expect(new URL(path, window.location.origin).origin, target).toBe(window.location.origin);
      expect(path.startsWith("//"), target).toBe(false);
    }
    // Decoded once by the search params, "/%2F%2Fevil.example" is "//evil.example".
    expect(afterLogIn(new URLSearchParams("next=%2F%2Fevil.example").get("next"))).toBe("/projects/inbox");
    expect(afterLogIn(new URLSearchParams("next=%2F%09%2Fevil.example").get("next"))).toBe("/projects/inbox");
  });
});
