// Issue 14, finding 4 in a real browser: the security headers of every page, a
// Content-Security-Policy the app passes with no violation on every page, and log-in's
// `next` never leaving the site.
import { expect, test } from "@playwright/test";
import { email, PASSWORD, signUp, signUpAndLogIn, watchCsp } from "./support";

const PAGES = ["/projects/inbox", "/assigned", "/search?q=x", "/stats", "/invitations", "/notifications", "/profile"];

test("every page has the security headers and no CSP violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  await signUpAndLogIn(page, email("csp"), "Cy Policy");
  for (const path of ["/login", "/signup", ...PAGES]) {
    const response = await page.goto(path);
    expect(response, path).not.toBeNull();
    const headers = response!.headers();
    const policy = headers["content-security-policy"] ?? "";
    expect(policy, path).toContain("frame-ancestors 'none'");
    expect(policy, path).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(policy, path).toContain("object-src 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["x-frame-options"], path).toBe("DENY");
    // Served over plain HTTP here: no HSTS (it is sent over HTTPS only).
    expect(headers["strict-transport-security"], path).toBeUndefined();
    await expect(page.locator(".skeleton")).toHaveCount(0);
    await expect(page).toHaveTitle(/Tasklane/);
  }
  // The static files carry the fixed headers too.
  const script = await page.evaluate(() => [...document.scripts].map((s) => s.src).find((src) => src.includes("/_next/static/")));
  expect(script).toBeTruthy();
  const asset = await page.request.get(script!);
  expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
  expect(violations).toEqual([]);
});

test("log-in's next never leaves the site", async ({ page }) => {
  const address = email("redirect");
  await signUp(page, address, "Rae Redirect");
  const origin = new URL(page.url()).origin;
  const payloads = [
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "%2F%09%2Fevil.example",
    "/%2F%2Fevil.example",
    "https://evil.example",
    "https:evil.example",
    "/.//evil.example",
    "javascript:alert(1)",
  ];
  for (const next of payloads) {
    watchCsp(page);
    const query = next.startsWith("%") ? next : encodeURIComponent(next);
    await page.goto(`/login?next=${query}`);
    await page.getByLabel("E-mail").fill(address);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).not.toHaveURL(/\/login/);
    // Wherever it led (the Inbox, or a page of this site that does not exist), it is here.
    expect(new URL(page.url()).origin, next).toBe(origin);
    await page.context().clearCookies(); // logged out for the next payload (the page's memory goes with the next load)
  }
  // A page of the site is where it leads.
  await page.goto(`/login?next=${encodeURIComponent("/stats")}`);
  await page.getByLabel("E-mail").fill(address);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/stats$/);
});
