// The phone layout (navigation in a drawer, no sideways scroll) and the themes.
import { expect, test } from "@playwright/test";
import { addTasks, createProject, email, PHONE, signUpAndLogIn } from "./support";

test("on a phone the navigation is a drawer and nothing scrolls sideways", async ({ page }) => {
  await signUpAndLogIn(page, email("phone"), "Pat Phone");
  await createProject(page, "A project with a rather long name for a small screen");
  await addTasks(page, "A task with a title long enough to need truncating on a narrow phone screen #label-one #label-two !urgent");
  await page.setViewportSize(PHONE);
  await expect(page.getByRole("complementary", { name: "Sidebar" })).toBeHidden();
  await page.getByRole("button", { name: "Open navigation" }).click();
  const nav = page.getByRole("dialog", { name: "Navigation" });
  await expect(nav).toBeVisible();
  await nav.getByRole("link", { name: "Stats" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Stats" })).toBeVisible();
  await expect(nav).toHaveCount(0); // closed by navigating
  for (const path of ["/stats", "/projects/inbox", "/search?q=task", "/profile"]) {
    await page.goto(path);
    await expect(page.locator(".skeleton")).toHaveCount(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
  }
});

test("dark mode follows the system and the toggle, and renders", async ({ page }) => {
  await signUpAndLogIn(page, email("dark"), "Dee Dark");
  const canvas = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await canvas()).toBe("rgb(15, 17, 21)");
  await page.emulateMedia({ colorScheme: "light" });
  expect(await canvas()).toBe("rgb(255, 255, 255)");
  await page.getByRole("button", { name: /^Account:/ }).click();
  await page.getByRole("menuitem", { name: "Dark" }).click();
  expect(await canvas()).toBe("rgb(15, 17, 21)");
  await page.reload(); // the choice is kept (a cookie): the first paint is already dark
  expect(await canvas()).toBe("rgb(15, 17, 21)");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.getByRole("button", { name: /^Account:/ }).click();
  await page.getByRole("menuitem", { name: "System" }).click();
  expect(await canvas()).toBe("rgb(255, 255, 255)");
});
