// The whole product in one browser session, against the stack `make run` starts (real local
// API, Cognito, S3, mailbox): sign up → confirm → log in → projects and tasks → filter and
// sort → attachment up and down → search → stats → (sharing + notification) → log out.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { apiPaths, apiUrl, checkPage, localInput, logIn, logOut, PNG, signUpAndLogIn } from "./support";

const HOUR = 3600 * 1000;
const run = Date.now().toString(36);
const ada = `ada-${run}@example.com`;
const bob = `bob-${run}@example.com`;

async function addTask(page: Page, title: string, priority: string, dueOffset: number | null, labels: string) {
  const form = page.getByRole("form", { name: "New task" });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Priority").selectOption({ label: priority });
  if (dueOffset !== null) await form.getByLabel(/^Due/).fill(localInput(dueOffset));
  await form.getByLabel(/^Labels/).fill(labels);
  await form.getByRole("button", { name: "Add task" }).click();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
}

function taskTitles(page: Page) {
  return page.getByRole("list", { name: "Tasks" }).locator("li .title");
}

test("a user's day in Tasklane", async ({ page }) => {
  const paths = await apiPaths();
  const sharing = paths.has("/projects/{project_id}/members") && paths.has("/notifications");
  test.info().annotations.push({ type: "sharing", description: sharing ? "covered" : "routes absent" });

  if (sharing) {
    // Bob must exist (a profile: made on his first signed-in page) before he can be invited.
    await signUpAndLogIn(page, bob, "Bob");
    await logOut(page);
  }

  await signUpAndLogIn(page, ada, "Ada", true);
  await checkPage(page, "inbox");
  await page.reload(); // the session survives a reload
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();

  // A project, renamed; tasks in it.
  const sidebar = page.getByRole("navigation", { name: "Projects" });
  await sidebar.getByLabel("New project name").fill("Launch");
  await sidebar.getByRole("button", { name: "Add project" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Launch" })).toBeVisible();
  await sidebar.getByRole("button", { name: "Rename Launch" }).click();
  await sidebar.getByLabel("New name for Launch").fill("Launch plan");
  await sidebar.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Launch plan" })).toBeVisible();
  await sidebar.getByLabel("New project name").fill("Scratch");
  await sidebar.getByRole("button", { name: "Add project" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Scratch" })).toBeVisible();
  await sidebar.getByRole("button", { name: "Delete" }).last().click();
  await sidebar.getByRole("group", { name: "Delete Scratch and all its tasks?" }).getByRole("button", { name: "Delete" }).click();
  await expect(sidebar.getByRole("link", { name: "Scratch" })).toHaveCount(0);
  await expect(page).toHaveURL(/\/projects\/inbox/);
  await sidebar.getByRole("link", { name: "Launch plan" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Launch plan" })).toBeVisible();

  await addTask(page, "Write budget review", "High", 20 * HOUR, "finance, q3");
  await addTask(page, "Book the venue", "Low", 5 * 24 * HOUR, "ops");
  await addTask(page, "Order snacks", "Urgent", -2 * HOUR, "ops");
  await expect(page.locator(".badge.overdue")).toHaveCount(1);
  await expect(page.locator(".badge.soon")).toHaveCount(1);
  await checkPage(page, "project");

  // Filter and sort (the list reloads from the API).
  const filters = page.getByRole("group", { name: "Filter and sort tasks" });
  await filters.getByLabel("Priority").selectOption({ label: "High" });
  await expect(taskTitles(page)).toHaveText(["Write budget review"]);
  await filters.getByLabel("Priority").selectOption({ label: "Any" });
  await filters.getByLabel("Label").fill("ops");
  await expect(taskTitles(page)).toHaveText(["Book the venue", "Order snacks"]);
  await filters.getByLabel("Label").fill("");
  await filters.getByLabel("Sort by").selectOption({ label: "Due date" });
  await expect(taskTitles(page)).toHaveText(["Order snacks", "Write budget review", "Book the venue"]);
  await filters.getByLabel("Order").selectOption({ label: "Descending" });
  await expect(taskTitles(page)).toHaveText(["Book the venue", "Write budget review", "Order snacks"]);

  // Complete with one click.
  await page.getByRole("checkbox", { name: "Complete Order snacks" }).click();
  await expect(page.getByRole("checkbox", { name: "Reopen Order snacks" })).toBeChecked();
  await expect(page.locator(".badge.overdue")).toHaveCount(0);

  // A task: edit, attach a file, download it.
  await page.getByRole("link", { name: "Write budget review" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Write budget review" })).toBeVisible();
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByRole("form", { name: "Edit task" }).getByLabel("Description").fill("Numbers for the budget meeting");
  await page.getByRole("button", { name: "Save" }).click();
  // The form closes once the save is acknowledged (the text alone also matches the open
  // textarea, and the change below must not overtake this save).
  await expect(page.getByRole("form", { name: "Edit task" })).toHaveCount(0);
  await expect(page.getByText("Numbers for the budget meeting")).toBeVisible();

  // Someone else changes the task meanwhile: saving says so (412) and offers a reload.
  const taskId = page.url().split("/tasks/")[1] ?? "";
  const idToken = await page.evaluate(() => JSON.parse(localStorage.getItem("tasklane.session") ?? "{}").idToken as string);
  const behind = await fetch(`${apiUrl()}/tasks/${taskId}`, {
    method: "PATCH",
    headers: { Authorization: idToken, "Content-Type": "application/json" },
    body: JSON.stringify({ description: "Numbers for the budget meeting, changed elsewhere" }),
  });
  expect(behind.status).toBeLessThan(300);
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByRole("form", { name: "Edit task" }).getByLabel("Title").fill("Write the budget review");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("This task changed since you opened it: reload to see the latest version.")).toBeVisible();
  await page.getByRole("button", { name: "Reload the task" }).click();
  await expect(page.getByText("changed elsewhere")).toBeVisible();

  await expect(page.getByText("Up to 25 MiB per file")).toBeVisible();
  await page.getByLabel("Attach a file").setInputFiles({ name: "chart.png", mimeType: "image/png", buffer: PNG });
  const download = page.getByRole("button", { name: "Download chart.png" });
  await expect(download).toBeVisible();
  await expect(page.getByRole("img", { name: "Preview of chart.png" })).toBeVisible();
  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  expect(file.suggestedFilename()).toBe("chart.png");
  expect(readFileSync(await file.path()).equals(PNG)).toBe(true);
  await checkPage(page, "task");
  await page.getByLabel("Attach a file").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("notes\n") });
  await expect(page.getByRole("button", { name: "Download notes.txt" })).toBeVisible();
  await page.getByTestId("attachment").filter({ hasText: "notes.txt" }).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("group", { name: "Delete notes.txt?" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("attachment")).toHaveCount(1);

  // Search (the projection follows within about a second).
  await expect(async () => {
    await page.getByRole("search").getByLabel("Search tasks").fill("budget");
    await page.getByRole("search").getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("search-hit").first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("search-hit").first().locator("mark").first()).toHaveText(/budget/i);
  await checkPage(page, "search");

  await page.getByRole("link", { name: "Stats" }).click();
  await expect(page.getByRole("rowheader", { name: "All projects" })).toBeVisible();
  await checkPage(page, "stats");

  await page.getByRole("link", { name: "Profile" }).click();
  // The name given at sign-up: Cognito puts it in the ID token (the client reads "name").
  await expect(page.getByLabel("Display name")).toHaveValue("Ada");
  await page.getByLabel("Display name").fill("Ada Lovelace");
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await checkPage(page, "profile");

  if (sharing) {
    await sidebar.getByRole("link", { name: "Launch plan" }).click();
    await page.getByRole("link", { name: "Members and sharing" }).click();
    const share = page.getByRole("form", { name: "Share the project" });
    await share.getByLabel("E-mail of a Tasklane user").fill(bob);
    await share.getByRole("button", { name: "Share" }).click();
    await expect(page.getByText(`Shared with ${bob}`)).toBeVisible();
    await checkPage(page, "members");
    // Assign a task to Bob (the picker lists the project's members).
    await page.getByRole("link", { name: "← Launch plan" }).click();
    await page.getByRole("link", { name: "Write budget review" }).click();
    await page.getByRole("button", { name: "Edit" }).click();
    const bobOption = page.getByRole("form", { name: "Edit task" }).getByLabel("Assignee").locator("option", { hasText: /^Bob/ });
    await page.getByRole("form", { name: "Edit task" }).getByLabel("Assignee").selectOption({ label: (await bobOption.textContent()) ?? "" });
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(/Assigned to Bob/)).toBeVisible();
    await logOut(page);

    await logIn(page, bob);
    const bell = page.getByRole("link", { name: /Notifications \(\d+ unread\)/ });
    await expect(async () => {
      await page.reload();
      await expect(bell).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await bell.click();
    await expect(page.getByTestId("notification").first()).toBeVisible();
    await checkPage(page, "notifications");
    await page.getByRole("button", { name: "Mark all as read" }).click();
    await expect(page.getByText("0 unread")).toBeVisible();
    await page.getByRole("link", { name: "Assigned to me" }).click();
    await expect(page.getByRole("link", { name: "Write budget review" })).toBeVisible();
    await checkPage(page, "assigned");
    await page.getByRole("link", { name: "Write budget review" }).click();
    await page.getByLabel("Add a comment").fill("On it: numbers by Friday.");
    await page.getByRole("button", { name: "Comment" }).click();
    await expect(page.getByRole("list", { name: "Comments" })).toContainText("On it: numbers by Friday.");
    await expect(sidebar.getByRole("link", { name: "Launch plan" })).toBeVisible();
  }

  await page.getByRole("link", { name: "Mailbox" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mailbox (local)" })).toBeVisible();
  if (sharing) await expect(page.getByRole("list", { name: "E-mails" })).toContainText("Launch plan");
  await checkPage(page, "mailbox");

  await logOut(page);
  await page.goto("/projects/inbox");
  await expect(page).toHaveURL(/\/login/);
});
