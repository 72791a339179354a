// Issue 14, finding 5 in a real browser: the refresh token lives in an httpOnly cookie that
// only the web server's session endpoints receive; the page keeps the ID token in memory, so
// nothing token-like is in localStorage or sessionStorage; a reload and a second tab stay
// signed in; log-out revokes the refresh token with Cognito.
import { expect, test, type Page } from "@playwright/test";
import { api, email, logOut, sessionPost, signUpAndLogIn } from "./support";

const COOKIE = "tasklane_refresh";
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;
const WRONG = "Wrong-Password-1"; // pragma: allowlist secret - a wrong password, on purpose

async function storage(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const all: Record<string, string> = {};
    for (const [kind, store] of [["local", localStorage], ["session", sessionStorage]] as const) {
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i)!;
        all[`${kind}:${key}`] = store.getItem(key) ?? "";
      }
    }
    return all;
  });
}

test("the refresh token is in an httpOnly cookie only, a reload keeps the session, log-out revokes it", async ({ page, context }) => {
  await signUpAndLogIn(page, email("session"), "Sam Session");

  // The cookie: httpOnly, SameSite=Strict, the session endpoints only, for 30 days
  // (Secure is set over HTTPS; this stack is plain HTTP on 127.0.0.1).
  const cookies = await context.cookies();
  const refresh = cookies.find((c) => c.name === COOKIE);
  expect(refresh, "the refresh-token cookie").toBeDefined();
  expect(refresh!.httpOnly).toBe(true);
  expect(refresh!.sameSite).toBe("Strict");
  expect(refresh!.path).toBe("/api/session");
  const days = (refresh!.expires - Date.now() / 1000) / 86_400;
  expect(days).toBeGreaterThan(29.9);
  expect(days).toBeLessThanOrEqual(30);
  expect(await page.evaluate(() => document.cookie)).not.toContain(COOKIE);

  // Nothing token-like in the page's storage.
  const stored = await storage(page);
  for (const [key, value] of Object.entries(stored)) {
    expect(value, key).not.toContain(refresh!.value);
    expect(value, key).not.toMatch(JWT);
    expect(key).not.toMatch(/token|session/i);
  }

  // A reload stays signed in (the page asks the server for a fresh ID token), and a session
  // stored by the earlier version is cleaned away.
  await page.evaluate(() => localStorage.setItem("tasklane.session", JSON.stringify({ refreshToken: "old" })));
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  await expect(page).toHaveURL(/\/projects\/inbox/);
  expect(await page.evaluate(() => localStorage.getItem("tasklane.session"))).toBeNull();
  expect((await storage(page))["local:tasklane.session"]).toBeUndefined();

  // A second tab is signed in too, and the ID token works with the API.
  const other = await context.newPage();
  await other.goto("/projects/inbox");
  await expect(other.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  expect(await api<{ email: string }>(page, "GET", "/me")).toBeTruthy();

  // Another site cannot use the cookie: no custom header, or a foreign Origin → 403.
  expect((await sessionPost(page, "refresh", {})).status()).toBe(403);
  expect((await sessionPost(page, "refresh", { "X-Tasklane-Session": "1", Origin: "https://evil.example" })).status()).toBe(403);
  expect((await sessionPost(page, "logout", {})).status()).toBe(403);
  expect((await context.cookies()).some((c) => c.name === COOKIE)).toBe(true);

  // Log-out: the cookie is gone, the other tab follows, and the old refresh token is revoked.
  // The log-in form shows at once; the server's answer, which deletes the cookie, follows.
  await logOut(page);
  await expect.poll(async () => (await context.cookies()).some((c) => c.name === COOKIE)).toBe(false);
  await expect(other).toHaveURL(/\/login/);
  await context.addCookies([refresh!]);
  const again = await sessionPost(page, "refresh");
  expect(again.status()).toBe(401);
  expect(((await again.json()) as { error: { code: string } }).error.code).toBe("NotAuthorizedException");
  await other.goto("/projects/inbox");
  await expect(other).toHaveURL(/\/login/);
});

test("a wrong password is refused without a cookie", async ({ page, context }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email("nobody"));
  await page.getByLabel("Password").fill(WRONG);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByText("Wrong e-mail or password.")).toBeVisible();
  expect((await context.cookies()).some((c) => c.name === COOKIE)).toBe(false);
  expect((await sessionPost(page, "refresh")).status()).toBe(401);

  // The log-in endpoint validates what it is sent, and answers in the API's error shape.
  const login = (data: unknown, headers: Record<string, string> = { "X-Tasklane-Session": "1" }) =>
    page.request.post("/api/session/login", { headers: { ...headers, "Content-Type": "application/json" }, data: typeof data === "string" ? data : JSON.stringify(data) });
  const refused = await login("not json");
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("InvalidParameterException");
  expect((await login({ email: "a@example.com" })).status()).toBe(400);
  expect((await login({ email: "a@example.com", password: "x".repeat(5000) })).status()).toBe(413);
  expect((await login({ email: "a@example.com", password: WRONG }, {})).status()).toBe(403);
  expect((await login({ email: email("nobody"), password: WRONG })).status()).toBe(401);
});
