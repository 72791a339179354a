import { describe, expect, it, vi } from "vitest";
import { afterLogIn, type Session } from "@/lib/session/cognito";
import { SessionKeeper, type KeeperDeps } from "@/lib/session/keeper";
import type { ClientConfig } from "@/lib/api/types";

const config: ClientConfig = { region: "us-east-1", user_pool_id: "p", client_id: "c", cognito_endpoint: null, api_url: "http://api" };

function session(expiresIn: number, token = "id-1"): Session {
  return { email: "a@example.com", idToken: token, accessToken: "a", refreshToken: "r", expiresAt: Date.now() + expiresIn };
}

function deps(stored: Session | null, refresh: KeeperDeps["refresh"]): KeeperDeps & { saved: (Session | null)[] } {
  const saved: (Session | null)[] = [];
  return { refresh, signOut: vi.fn().mockResolvedValue(undefined), load: () => stored, save: (s) => saved.push(s), saved };
}

describe("SessionKeeper", () => {
  it("keeps a stored session across reloads and uses its token while valid", async () => {
    const refresh = vi.fn();
    const keeper = new SessionKeeper(config, vi.fn(), deps(session(3600_000), refresh));
    expect(await keeper.token()).toBe("id-1");
    expect(refresh).not.toHaveBeenCalled();
  });

  it("refreshes once for concurrent callers when the token is about to expire", async () => {
    const refresh = vi.fn().mockResolvedValue(session(3600_000, "id-2"));
    const d = deps(session(10_000), refresh);
    const keeper = new SessionKeeper(config, vi.fn(), d);
    expect(await Promise.all([keeper.token(), keeper.token()])).toEqual(["id-2", "id-2"]);
    expect(refresh).toHaveBeenCalledOnce();
    expect(d.saved.at(-1)?.idToken).toBe("id-2");
  });

  it("ends the session when the refresh is refused", async () => {
    const listener = vi.fn();
    const d = deps(session(-1), vi.fn().mockRejectedValue(new Error("NotAuthorizedException")));
    const keeper = new SessionKeeper(config, listener, d);
    expect(await keeper.token()).toBeNull();
    expect(listener).toHaveBeenLastCalledWith(null, "expired");
    expect(d.saved.at(-1)).toBeNull();
  });

  it("logs out locally even when Cognito cannot be reached", async () => {
    const listener = vi.fn();
    const d = deps(session(3600_000), vi.fn());
    d.signOut = vi.fn().mockRejectedValue(new Error("offline"));
    const keeper = new SessionKeeper(config, listener, d);
    await keeper.logOut();
    expect(keeper.session).toBeNull();
    expect(listener).toHaveBeenLastCalledWith(null, "logout");
  });
});

describe("afterLogIn", () => {
  it("goes back to a page of this site only", () => {
    expect(afterLogIn("/tasks/t1")).toBe("/tasks/t1");
    expect(afterLogIn(null)).toBe("/projects/inbox");
    for (const elsewhere of ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)"]) {
      expect(afterLogIn(elsewhere)).toBe("/projects/inbox");
    }
  });
});
