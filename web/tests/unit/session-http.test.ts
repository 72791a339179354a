import { describe, expect, it } from "vitest";
import { fromThisSite, isHttps, parseLogIn, refreshCookieOptions, SESSION_PATH, statusOfCognitoError } from "@/lib/server/session-http";

describe("refreshCookieOptions", () => {
  it("keeps the refresh token from JavaScript and other sites, for 30 days, on the session endpoints only", () => {
    expect(refreshCookieOptions(true)).toEqual({ httpOnly: true, secure: true, sameSite: "strict", path: SESSION_PATH, maxAge: 30 * 86_400 });
    expect(SESSION_PATH).toBe("/api/session");
  });
  it("is Secure only over HTTPS (the local stack is plain HTTP on 127.0.0.1), and deletes with maxAge 0", () => {
    expect(refreshCookieOptions(false).secure).toBe(false);
    expect(refreshCookieOptions(true, 0).maxAge).toBe(0);
  });
});

describe("isHttps", () => {
  it("believes the URL or the load balancer's X-Forwarded-Proto", () => {
    expect(isHttps("https:", new Headers())).toBe(true);
    expect(isHttps("http:", new Headers({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(isHttps("http:", new Headers({ "x-forwarded-proto": "http" }))).toBe(false);
  });
});

describe("fromThisSite", () => {
  const ours = { host: "app.example.com", "x-tasklane-session": "1" };
  it("accepts this site's script: the custom header, and an Origin naming this host", () => {
    expect(fromThisSite(new Headers({ ...ours, origin: "https://app.example.com" }))).toBe(true);
    expect(fromThisSite(new Headers(ours))).toBe(true); // no Origin: not a browser
  });
  it("refuses another site, or a request without the custom header (a form post)", () => {
    expect(fromThisSite(new Headers({ ...ours, origin: "https://evil.example" }))).toBe(false);
    expect(fromThisSite(new Headers({ ...ours, origin: "https://app.example.com.evil.example" }))).toBe(false);
    expect(fromThisSite(new Headers({ ...ours, origin: "null" }))).toBe(false);
    expect(fromThisSite(new Headers({ host: "app.example.com", origin: "https://app.example.com" }))).toBe(false);
    expect(fromThisSite(new Headers({ ...ours, "x-tasklane-session": "0" }))).toBe(false);
  });
});

describe("statusOfCognitoError", () => {
  it("answers the caller's mistakes with 4xx and Cognito's failures with 502", () => {
    expect(statusOfCognitoError("NotAuthorizedException")).toBe(401);
    expect(statusOfCognitoError("UserNotFoundException")).toBe(401);
    expect(statusOfCognitoError("UserNotConfirmedException")).toBe(403);
    expect(statusOfCognitoError("InvalidParameterException")).toBe(400);
    expect(statusOfCognitoError("TooManyRequestsException")).toBe(429);
    expect(statusOfCognitoError("TypeError")).toBe(502);
  });
});

describe("parseLogIn", () => {
  it("takes an e-mail and a password, trimmed and of sane lengths", () => {
    expect(parseLogIn({ email: " a@example.com ", password: "pw" })).toEqual({ email: "a@example.com", password: "pw" }); // pragma: allowlist secret
    for (const bad of [null, "x", [], {}, { email: "a@example.com" }, { email: "", password: "pw" }, { email: "a@example.com", password: 1 }, { email: "a@example.com", password: "x".repeat(257) }]) { // pragma: allowlist secret - invalid bodies
      expect(parseLogIn(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
