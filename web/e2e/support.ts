// Helpers for the browser flow: accessibility and layout checks, screenshots, auth steps.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "Correct-Horse-42x";
export const SCREENSHOTS = "test-results/screenshots";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 800 };

export function apiUrl(): string {
  const url = process.env.API_URL;
  if (!url) throw new Error("API_URL is not set: run through tests/web/test_web.py (or set it)");
  return url.replace(/\/$/, "");
}

/** The API's OpenAPI paths right now: the flow covers sharing once those routes exist. */
export async function apiPaths(): Promise<Set<string>> {
  const response = await fetch(`${apiUrl()}/openapi.json`);
  expect(response.ok).toBe(true);
  const spec = (await response.json()) as { paths: Record<string, unknown> };
  return new Set(Object.keys(spec.paths));
}

/** No serious or critical axe violation, no horizontal scroll at 375 px, screenshots of both. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expect(page.locator(".skeleton")).toHaveCount(0);
  await expect(page).toHaveTitle(/Tasklane/); // streamed metadata may come a moment later
  for (const [label, size] of [["desktop", DESKTOP], ["375", PHONE]] as const) {
    await page.setViewportSize(size);
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), `${name} at ${label}`).toEqual([]);
    if (label === "375") {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name}: horizontal scroll at 375 px`).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${label}.png`, fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

export async function signUpAndLogIn(page: Page, email: string, name: string, screenshots = false): Promise<void> {
  await page.goto("/signup");
  if (screenshots) await checkPage(page, "signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/confirm\?email=/);
  await expect(page.getByText("confirmation codes are not checked")).toBeVisible();
  if (screenshots) await checkPage(page, "confirm");
  await page.getByLabel("Confirmation code").fill("123456");
  await page.getByRole("button", { name: "Confirm" }).click();

  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("E-mail")).toHaveValue(email);
  if (screenshots) await checkPage(page, "login");
  await logIn(page, email);
}

export async function logIn(page: Page, email: string): Promise<void> {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/projects\/inbox/);
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** "YYYY-MM-DDTHH:MM" for <input type=datetime-local>, in UTC (the browser's zone here). */
export function localInput(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString().slice(0, 16);
}

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
