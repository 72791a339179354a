import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthError } from "@/lib/session/cognito";
import { logIn, logOut, refresh } from "@/lib/session/endpoints";

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${part({ alg: "none" })}.${part(claims)}.sig`;
}

function answering(status: number, body?: unknown) {
  const fetch = vi.fn().mockResolvedValue(new Response(body === undefined ? null : JSON.stringify(body), { status }));
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the session endpoints, from the page", () => {
  it("logs in through the web server with the custom header, and keeps only the ID token", async () => {
    const token = jwt({ sub: "u1", email: "a@example.com", exp: 2_000_000_000 });
    const fetch = answering(200, { idToken: token });
    const session = await logIn("a@example.com", "pw");
    expect(session).toEqual({ email: "a@example.com", idToken: token, expiresAt: 2_000_000_000_000 });
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/session/login");
    expect(init.method).toBe("POST");
    expect(init.credentials).toBe("same-origin");
    expect(init.keepalive).toBe(false);
    expect((init.headers as Record<string, string>)["X-Tasklane-Session"]).toBe("1");
    expect(JSON.parse(init.body as string)).toEqual({ email: "a@example.com", password: "pw" }); // pragma: allowlist secret
  });

  it("words a refused log-in as Cognito's error", async () => {
    answering(401, { error: { code: "NotAuthorizedException", message: "Incorrect username or password." } });
    const refused = await logIn("a@example.com", "bad").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthError);
    expect((refused as AuthError).code).toBe("NotAuthorizedException");
    expect((refused as AuthError).message).toBe("Wrong e-mail or password.");
  });

  it("reads no session from a 401 refresh, and fails on anything else", async () => {
    answering(401, { error: { code: "NoSession", message: "Not logged in." } });
    expect(await refresh()).toBeNull();
    answering(502, { error: { code: "TypeError", message: "Could not reach the sign-in service." } });
    await expect(refresh()).rejects.toBeInstanceOf(AuthError);
  });

  it("logs out with one POST and reports a failure", async () => {
    const fetch = answering(204);
    await logOut();
    expect(fetch.mock.calls[0]?.[0]).toBe("/api/session/logout");
    // Sent to the end even when the tab closes right after the click.
    expect((fetch.mock.calls[0]?.[1] as RequestInit).keepalive).toBe(true);
    answering(502, { error: { code: "Error", message: "Could not reach the sign-in service." } });
    await expect(logOut()).rejects.toBeInstanceOf(AuthError);
  });
});
