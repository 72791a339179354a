// Data in and out in the browser against the stack `make run` starts (issue 18): a project's
// webhooks (the secret shown once, edit, switch off, rotate, delete, the delivery log), an
// export started from the project menu and followed to its download (the ZIP opened), an
// import of a generic CSV through the column mapping, the dry run and the real run, and the
// calendar feed (copy, regenerate, revoke: the old URLs answer 404). Every page checked with
// axe at both sizes in both themes, with screenshots.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { addTasks, api, checkPage, createProject, email, rows, signUpAndLogIn } from "./support";

interface ApiWebhook {
  id: string;
  url: string;
  events: string[] | null;
  enabled: boolean;
  secret_hint: string;
}

function projectIdOf(page: Page): string {
  return page.url().split("/projects/")[1]?.split(/[/?#]/)[0] ?? "";
}

async function openProjectMenu(page: Page, name: string, item: string): Promise<void> {
  await page.getByRole("main").getByRole("button", { name: `Actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: item }).click();
}

test("webhooks, export, import and the calendar feed", async ({ page, context }) => {
  test.setTimeout(600_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUpAndLogIn(page, email("xen"), "Xen Change");
  await createProject(page, "Exchange lab");
  const projectId = projectIdOf(page);
  await addTasks(page, "Ship the ZIP", "Write the docs");

  // Webhooks: an http URL is refused before it is sent; an https one with two events is
  // added and its secret shown once, matching the hint the API keeps.
  await openProjectMenu(page, "Exchange lab", "Webhooks");
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks of Exchange lab" })).toBeVisible();
  await expect(page.getByText("No webhooks")).toBeVisible();
  await page.getByRole("button", { name: "Add webhook" }).click();
  const form = page.getByRole("form", { name: "Add a webhook" });
  await form.getByLabel("Payload URL").fill("http://hooks.example.com/tasklane");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByRole("alert")).toHaveText("The URL must start with https://.");
  await form.getByLabel("Payload URL").fill("https://1.1.1.1/hooks/tasklane");
  await form.getByLabel("Description").fill("Chat room");
  await form.getByLabel("Only these:").check();
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByRole("alert")).toHaveText("Choose at least one event, or every event.");
  await form.getByLabel("Tasks: created (task.created)").check();
  await form.getByLabel("Tasks: completed (task.completed)").check();
  await form.getByRole("button", { name: "Add webhook" }).click();
  const secretPanel = page.getByRole("region", { name: "Signing secret" });
  await expect(secretPanel).toBeVisible();
  const secret = await secretPanel.getByLabel("Signing secret", { exact: true }).inputValue();
  expect(secret.length).toBeGreaterThan(20);
  await secretPanel.getByRole("button", { name: "Copy signing secret" }).click();
  await expect(secretPanel.getByText("Copied to the clipboard.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  let hooks = (await api<{ items: ApiWebhook[] }>(page, "GET", `/projects/${projectId}/webhooks`)).items;
  expect(hooks.map((h) => [h.url, h.events, h.enabled])).toEqual([["https://1.1.1.1/hooks/tasklane", ["task.created", "task.completed"], true]]);
  // The list keeps only a hint of it ("whsec_…" and its last four characters).
  expect(hooks[0]?.secret_hint).toBe(`whsec_…${secret.slice(-4)}`);
  await expect(page.getByTestId("webhook")).toContainText(`secret whsec_…${secret.slice(-4)}`);
  const row = page.getByTestId("webhook");
  await expect(row).toContainText("task.created, task.completed");
  await checkPage(page, "webhooks-secret");
  await secretPanel.getByRole("button", { name: "I have copied it" }).click();
  await expect(secretPanel).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  // Edit: every event (sent as null); the log is empty until deliveries come.
  await row.getByRole("button", { name: "Edit" }).click();
  await row.getByLabel("Every event, including ones added later").check();
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("form")).toHaveCount(0);
  await expect(row).toContainText("Every event");
  hooks = (await api<{ items: ApiWebhook[] }>(page, "GET", `/projects/${projectId}/webhooks`)).items;
  expect(hooks[0]?.events).toBeNull();
  await row.getByRole("button", { name: "Delivery log" }).click();
  await expect(row.getByRole("region", { name: "Deliveries to https://1.1.1.1/hooks/tasklane" })).toBeVisible();
  await expect(row.getByText("No deliveries yet")).toBeVisible();
  await checkPage(page, "webhooks");

  // Switch off and on; rotate (a new secret, shown once); delete.
  await row.getByRole("button", { name: "Switch off" }).click();
  await expect(row).toContainText("Switched off");
  await row.getByRole("button", { name: "Switch on" }).click();
  await expect(row).toContainText("Active");
  await row.getByRole("button", { name: "Rotate secret" }).click();
  await row.getByRole("button", { name: "Rotate", exact: true }).click();
  await expect(secretPanel).toBeVisible();
  const rotated = await secretPanel.getByLabel("Signing secret", { exact: true }).inputValue();
  expect(rotated).not.toBe(secret);
  await secretPanel.getByRole("button", { name: "I have copied it" }).click();
  await row.getByRole("button", { name: "Delete" }).click();
  await row.getByRole("button", { name: "Delete", exact: true }).last().click();
  await expect(page.getByText("No webhooks")).toBeVisible();
  expect((await api<{ items: unknown[] }>(page, "GET", `/projects/${projectId}/webhooks`)).items).toEqual([]);

  // Export from the project menu: its page follows the job to the download; the ZIP holds
  // tasks.json and tasks.csv with both tasks.
  await page.getByRole("link", { name: "Exchange lab" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Exchange lab" })).toBeVisible();
  await openProjectMenu(page, "Exchange lab", "Export project");
  await expect(page).toHaveURL(/\/exports\/[0-9a-z]{26}$/i);
  const card = page.getByTestId("export");
  await expect(card).toHaveAttribute("data-status", "ready", { timeout: 90_000 });
  await expect(card.getByTestId("export-summary")).toContainText("2 tasks and 0 files from 1 project");
  await expect(card).toContainText("Project Exchange lab");
  await checkPage(page, "export");
  const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("button", { name: "Download ZIP" }).click()]);
  const zip = await readFile(await download.path());
  expect(zip.subarray(0, 2).toString()).toBe("PK");
  expect(zip.includes(Buffer.from("tasks.json"))).toBe(true);
  expect(zip.includes(Buffer.from("tasks.csv"))).toBe(true);

  // Settings → Export lists it; "Export everything" starts another.
  await page.goto("/settings/export");
  await expect(page.getByRole("heading", { level: 1, name: "Export" })).toBeVisible();
  await expect(page.getByTestId("export")).toHaveCount(1);
  await page.getByRole("button", { name: "Export everything" }).click();
  await expect(page).toHaveURL(/\/exports\/[0-9a-z]{26}$/i);
  await expect(page.getByTestId("export")).toContainText("Everything you can read");
  await expect(page.getByTestId("export")).toHaveAttribute("data-status", "ready", { timeout: 90_000 });
  await page.getByRole("link", { name: "All exports" }).click();
  await expect(page.getByTestId("export")).toHaveCount(2);
  await checkPage(page, "settings-export");

  // Import a generic CSV (semicolons, non-ASCII, a multi-line note, a date without a time,
  // a row whose status nothing maps to): the columns are guessed, a missing title is said
  // at its field, the dry run lists what would come and the bad row, the run creates it.
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Import" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import" })).toBeVisible();
  await checkPage(page, "import");
  await page.getByLabel("Other CSV").check();
  const csv = ["Ref;Task;Notes;Due date;Tags;State", '1;Bücher ordnen;"Erst die Regale,\ndann die Kisten";2026-12-01;home,ünï;open', "2;Call Zoë;;;;done", "3;Broken row;;;;Blocked", ""].join("\n");
  await page.getByLabel("File", { exact: true }).setInputFiles({ name: "tasks.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  const columns = page.getByRole("group", { name: "Columns" });
  await expect(columns.getByLabel("Title")).toHaveValue("Task");
  await expect(columns.getByLabel("Due date")).toHaveValue("Due date");
  await expect(columns.getByLabel("Row id")).toHaveValue("Ref");
  await expect(columns.getByLabel("Delimiter")).toHaveValue(";");
  await columns.getByLabel("Title").selectOption("");
  await expect(columns.getByText("Choose the column that holds each task's title.")).toBeVisible();
  await columns.getByLabel("Title").selectOption("Task");
  await page.getByLabel("New project's name").fill("Imported lab");
  await page.getByRole("button", { name: "Upload and check" }).click();
  const dryRun = page.getByTestId("dry-run-report");
  await expect(dryRun).toBeVisible({ timeout: 60_000 });
  await expect(dryRun.getByTestId("preview-task")).toHaveCount(2);
  await expect(dryRun.getByTestId("preview-task").first()).toContainText("Bücher ordnen");
  const bad = dryRun.getByTestId("import-problem").filter({ hasText: "Left out" });
  await expect(bad).toHaveCount(1);
  await expect(bad).toContainText("Blocked");
  await checkPage(page, "import-dry-run");
  await page.getByRole("button", { name: "Import 2 tasks" }).click();
  await expect(page).toHaveURL(/\/settings\/import\?import=[0-9a-z]{26}$/i);
  const job = page.getByTestId("import-job");
  await expect(job).toHaveAttribute("data-status", "done", { timeout: 90_000 });
  await expect(job.getByTestId("import-report")).toContainText("2");
  await checkPage(page, "import-done");
  await job.getByRole("link", { name: "Imported lab" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Imported lab" })).toBeVisible();
  await expect(rows(page).filter({ hasText: "Bücher ordnen" })).toHaveCount(1);

  // The calendar feed: the URL works without a token; regenerate → the old URL is 404;
  // revoke → the new one is 404 too, until a new URL is made.
  await page.goto("/settings/calendar");
  await expect(page.getByRole("heading", { level: 1, name: "Calendar feed" })).toBeVisible();
  const feedUrl = page.getByLabel("Feed URL", { exact: true });
  await expect(feedUrl).toHaveValue(/\/calendar\/tlcal_[A-Za-z0-9_-]+\.ics$/);
  const first = await feedUrl.inputValue();
  const feed = await fetch(first);
  expect(feed.status).toBe(200);
  expect(await feed.text()).toContain("BEGIN:VCALENDAR");
  await page.getByRole("button", { name: "Copy feed url" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
  await checkPage(page, "calendar");
  await page.getByRole("button", { name: "Regenerate URL" }).click();
  await page.getByRole("button", { name: "Regenerate", exact: true }).click();
  await expect(feedUrl).not.toHaveValue(first);
  const second = await feedUrl.inputValue();
  expect((await fetch(first)).status).toBe(404);
  expect((await fetch(second)).status).toBe(200);
  await page.getByRole("button", { name: "Revoke URL" }).click();
  await page.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(page.getByText("No feed URL")).toBeVisible();
  expect((await fetch(second)).status).toBe(404);
  await checkPage(page, "calendar-revoked");
  await page.getByRole("button", { name: "Make a new URL" }).click();
  await expect(feedUrl).toHaveValue(/\/calendar\/tlcal_/);
  expect([first, second]).not.toContain(await feedUrl.inputValue());
});
