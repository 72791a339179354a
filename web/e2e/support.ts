// Helpers for the browser tests: accessibility and layout checks with screenshots, the auth
// steps, and the API (for a second writer, and to read what was stored).
import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

export const PASSWORD = "Correct-Horse-42x";
export const SCREENSHOTS = "test-results/screenshots";
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };
/** A name no other run of the suite has (the stack lives as long as the test session). */
export const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export function apiUrl(): string {
  const url = process.env.API_URL;
  if (!url) throw new Error("API_URL is not set: run through tests/web/test_web.py (or set it)");
  return url.replace(/\/$/, "");
}

export function email(who: string): string {
  return `${who}-${RUN}@example.com`;
}

/** The page is settled: nothing loading, no placeholder waiting for its code. */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator(".skeleton")).toHaveCount(0);
  await expect(page.locator('[role="status"] .animate-spin')).toHaveCount(0);
  await expect(page).toHaveTitle(/Tasklane/);
}

/** Every finite animation and transition has ended: axe measures colours as they are drawn, so
 * a button still fading from the dark theme to the light one reads as poor contrast. */
export async function transitionsDone(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const finite = document
      .getAnimations()
      .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity);
    await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
  });
}

/** What the browser refused under the Content-Security-Policy, per page (Chromium reports each
 * refusal on the console), from the first helper that touched the page. */
const cspViolations = new WeakMap<Page, string[]>();

export function watchCsp(page: Page): void {
  if (cspViolations.has(page)) return;
  const seen: string[] = [];
  cspViolations.set(page, seen);
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) seen.push(`${page.url()}: ${message.text()}`);
  });
}

/** Every page, at both sizes and in both themes: no CSP violation so far, no serious or
 * critical axe violation, no horizontal scroll on a phone, a screenshot of each
 * (test-results/screenshots/<name>-…). */
export async function checkPage(page: Page, name: string): Promise<void> {
  watchCsp(page);
  await settled(page);
  expect(cspViolations.get(page), `${name}: Content-Security-Policy violations`).toEqual([]);
  for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    await page.setViewportSize(viewport);
    for (const theme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await settled(page);
      await transitionsDone(page);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(
        bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
        `${name}, ${size}, ${theme}`,
      ).toEqual([]);
      if (size === "phone") {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${name}: horizontal scroll on a phone (${theme})`).toBeLessThanOrEqual(0);
      }
      await page.screenshot({ path: `${SCREENSHOTS}/${name}-${size}-${theme}.png`, fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(DESKTOP);
}

export async function signUp(page: Page, address: string, name: string, screenshots = false): Promise<void> {
  watchCsp(page);
  await page.goto("/signup");
  if (screenshots) await checkPage(page, "signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("E-mail").fill(address);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/confirm\?email=/);
  await expect(page.getByText("confirmation codes are not checked")).toBeVisible();
  if (screenshots) await checkPage(page, "confirm");
  await page.getByLabel("Confirmation code").fill("123456");
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("E-mail")).toHaveValue(address);
  if (screenshots) await checkPage(page, "login");
}

export async function logIn(page: Page, address: string): Promise<void> {
  watchCsp(page);
  if (!page.url().includes("/login")) await page.goto("/login");
  await page.getByLabel("E-mail").fill(address);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/projects\/inbox/);
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
}

export async function signUpAndLogIn(page: Page, address: string, name: string, screenshots = false): Promise<void> {
  await signUp(page, address, name, screenshots);
  await logIn(page, address);
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^Account:/ }).click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** A new signed-in user in a browser context of their own (a second person at their desk). */
export async function newUser(browser: Browser, who: string, name: string, options: Parameters<Browser["newContext"]>[0] = {}): Promise<{ context: BrowserContext; page: Page; address: string }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const address = email(who);
  await signUpAndLogIn(page, address, name);
  return { context, page, address };
}

/** A POST to the web server's session endpoints with the page's cookies, as the app sends it. */
export function sessionPost(page: Page, path: "login" | "refresh" | "logout", headers: Record<string, string> = { "X-Tasklane-Session": "1" }) {
  return page.request.post(`/api/session/${path}`, { headers });
}

/** The signed-in user's ID token, to act through the API as them (another tab, another client).
 * The page keeps it in memory only: ask the refresh endpoint with the page's cookie, as a
 * new tab of the app does. */
export async function idToken(page: Page): Promise<string> {
  const response = await sessionPost(page, "refresh");
  if (!response.ok()) throw new Error(`no session in this page (refresh answered ${response.status()})`);
  return ((await response.json()) as { idToken: string }).idToken;
}

export async function api<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${apiUrl()}${path}`, {
    method,
    headers: { Authorization: await idToken(page), "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A file attached to a task as the web app attaches one, through the API: the upload form,
 * the file to storage (S3's form POST, the file last), then `complete`. */
export async function attach(page: Page, taskId: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<{ id: string }> {
  const started = await api<{ attachment: { id: string }; upload: { url: string; fields: Record<string, string>; file_field?: string } }>(
    page,
    "POST",
    `/tasks/${taskId}/attachments`,
    { file_name: file.name, size: file.buffer.length, content_type: file.mimeType },
  );
  const form = new FormData();
  for (const [key, value] of Object.entries(started.upload.fields)) form.append(key, value);
  form.append(started.upload.file_field ?? "file", new Blob([new Uint8Array(file.buffer)], { type: file.mimeType }), file.name);
  const stored = await fetch(started.upload.url, { method: "POST", body: form });
  if (!stored.ok) throw new Error(`upload of ${file.name} → ${stored.status}: ${await stored.text()}`);
  return api<{ id: string }>(page, "POST", `/tasks/${taskId}/attachments/${started.attachment.id}/complete`);
}

export interface ApiTask {
  id: string;
  title: string;
  status: string;
  due_at: string | null;
  labels: string[];
  priority: string;
  description: string;
  assignee_id?: string | null;
  position?: string | null;
  version: number;
}

/** The API's OpenAPI paths right now (the board contract may not be served yet). */
export async function apiPaths(): Promise<Set<string>> {
  const response = await fetch(`${apiUrl()}/openapi.json`);
  expect(response.ok).toBe(true);
  return new Set(Object.keys(((await response.json()) as { paths: Record<string, unknown> }).paths));
}

export async function createProject(page: Page, name: string): Promise<void> {
  await page.getByRole("button", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

export function quickAdd(page: Page) {
  return page.getByRole("textbox", { name: "New task" });
}

/** Adds tasks through the quick add, one line each, and waits until the server has them all. */
export async function addTasks(page: Page, ...lines: string[]): Promise<void> {
  const input = quickAdd(page);
  for (const line of lines) {
    await input.fill(line);
    await input.press("Enter");
    await expect(input).toHaveValue("");
  }
  await expect(page.locator('[data-testid="task"][aria-busy="true"]')).toHaveCount(0);
}

export function rows(page: Page) {
  return page.getByTestId("task");
}

/** 1×1 PNG. */
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
