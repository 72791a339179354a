// A team's day in Tasklane against the stack `make run` starts (real local API, Cognito, S3,
// mailbox), every page checked with axe at both sizes in both themes, with screenshots.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { addTasks, api, checkPage, createProject, email, logIn, logOut, PNG, quickAdd, rows, signUp, signUpAndLogIn } from "./support";

test("a team's day", async ({ page, browser }) => {
  test.setTimeout(600_000);
  const ada = email("ada");
  const bob = email("bob");
  // Bob has signed in once (a profile exists), so he can be invited.
  const bobSide = await browser.newContext();
  const bobPage = await bobSide.newPage();
  await signUpAndLogIn(bobPage, bob, "Bob Builder");

  await signUp(page, ada, "Ada Lovelace", true);
  await logIn(page, ada);
  await checkPage(page, "inbox-empty");
  await page.reload(); // the session survives a reload
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();

  // A project, renamed through its menu.
  await createProject(page, "Launch");
  await page.getByRole("button", { name: "Actions for Launch" }).first().click();
  await page.getByRole("menuitem", { name: "Rename" }).click();
  await page.getByRole("dialog", { name: "Rename Launch" }).getByLabel("Name").fill("Launch plan");
  await page.getByRole("button", { name: "Rename", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Launch plan" })).toBeVisible();
  await expect(page).toHaveTitle("Launch plan · Tasklane");

  // A project made by mistake, deleted.
  await createProject(page, "Scratch");
  await page.getByRole("main").getByRole("button", { name: "Actions for Scratch" }).click();
  await page.getByRole("menuitem", { name: "Delete project" }).click();
  await page.getByRole("dialog", { name: "Delete Scratch?" }).getByRole("button", { name: "Delete project" }).click();
  await expect(page).toHaveURL(/\/projects\/inbox/);
  await expect(page.getByRole("link", { name: "Scratch" })).toHaveCount(0);

  await page.getByRole("link", { name: "Launch plan" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Launch plan" })).toBeVisible();
  await addTasks(page, "Write budget review in 20 hours #finance #q3 !high", "Book the venue in 5 days #ops !low", "Order snacks 2 hours ago #ops !urgent");
  await expect(rows(page)).toHaveCount(3);
  await expect(page.locator("time[data-due=overdue]")).toHaveCount(1);
  await expect(page.locator("time[data-due=soon]")).toHaveCount(1);
  await checkPage(page, "project-list");

  // Filters and sort live in the URL (shareable, back/forward).
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByRole("dialog", { name: "Filter" }).getByLabel("Priority").selectOption({ label: "High" });
  await expect(page).toHaveURL(/priority=high/);
  await expect(rows(page)).toHaveText([/Write budget review/]);
  await page.keyboard.press("Escape");
  await page.goBack();
  await expect(rows(page)).toHaveCount(3);
  await page.goto(`${page.url().split("?")[0]}?sort=due&group=none`);
  await expect(rows(page).locator("[data-task-link]")).toHaveText(["Order snacks", "Write budget review", "Book the venue"]);
  await page.goto(`${page.url().split("?")[0]}?sort=due&order=desc&group=none&label=ops`);
  await expect(rows(page).locator("[data-task-link]")).toHaveText(["Book the venue", "Order snacks"]);
  await page.goto(page.url().split("?")[0] ?? "/");

  // Complete with one click, at once; undo puts it back.
  await page.getByRole("checkbox", { name: "Complete Order snacks" }).click();
  await expect(page.getByRole("checkbox", { name: "Reopen Order snacks" })).toBeChecked();
  await expect(page.locator("time[data-due=overdue]")).toHaveCount(0);
  await page.getByTestId("toast").getByRole("button", { name: "Undo" }).click();
  await expect(page.getByRole("checkbox", { name: "Complete Order snacks" })).not.toBeChecked();
  await page.getByRole("checkbox", { name: "Complete Order snacks" }).click();
  await expect(page.getByRole("checkbox", { name: "Reopen Order snacks" })).toBeChecked();

  // The board.
  await page.getByRole("radio", { name: "Board" }).click();
  await expect(page.getByTestId("column-done").getByTestId("card")).toHaveText([/Order snacks/]);
  await checkPage(page, "project-board");
  await page.getByRole("radio", { name: "List" }).click();

  // The task drawer: its own URL, fields saved in place.
  await page.getByRole("link", { name: "Write budget review" }).click();
  await expect(page).toHaveURL(/task=/);
  const drawer = page.getByTestId("task-drawer");
  await drawer.getByLabel("Description").fill("Numbers for the budget meeting");
  await drawer.getByLabel("Priority").selectOption({ label: "Urgent" });
  await expect(drawer.getByText("(saving…)")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("task-drawer").getByLabel("Description")).toHaveValue("Numbers for the budget meeting");
  await expect(page.getByTestId("task-drawer").getByLabel("Priority")).toHaveValue("urgent");

  // Attachments: up, preview, down.
  await expect(drawer.getByText("Up to 25 MiB per file")).toBeVisible();
  await drawer.getByLabel("Attach a file").setInputFiles({ name: "chart.png", mimeType: "image/png", buffer: PNG });
  const download = drawer.getByRole("button", { name: "Download chart.png" });
  await expect(download).toBeVisible();
  await expect(drawer.getByRole("img", { name: "Preview of chart.png" })).toBeVisible();
  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  expect(file.suggestedFilename()).toBe("chart.png");
  expect(readFileSync(await file.path()).equals(PNG)).toBe(true);
  await checkPage(page, "task-drawer");
  await page.keyboard.press("Escape");
  await expect(page).not.toHaveURL(/task=/);

  // Search (the projection follows within about a second).
  await expect(async () => {
    await page.getByRole("search").getByLabel("Search tasks").fill("budget");
    await page.getByRole("search").getByLabel("Search tasks").press("Enter");
    await expect(page.getByTestId("search-hit").first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("search-hit").first().locator("mark").first()).toHaveText(/budget/i);
  await checkPage(page, "search");

  await page.getByRole("link", { name: "Stats" }).click();
  await expect(page.getByTestId("stats-row").filter({ hasText: "All projects" })).toBeVisible();
  await checkPage(page, "stats");

  // Share the project with Bob; assign him a task.
  await page.getByRole("link", { name: "Launch plan" }).click();
  await page.getByRole("main").getByRole("button", { name: "Actions for Launch plan" }).click();
  await page.getByRole("menuitem", { name: "Members and sharing" }).click();
  const share = page.getByRole("form", { name: "Share the project" });
  await share.getByLabel("E-mail address to invite").fill(bob);
  await share.getByRole("button", { name: "Share" }).click();
  await expect(page.getByText(`Invited ${bob}`)).toBeVisible();
  await expect(page.getByRole("region", { name: "Pending invitations" }).getByText(bob, { exact: true })).toBeVisible();
  // Bob accepts on his invitations page; only then is he a member.
  await bobPage.getByRole("link", { name: "Invitations" }).click();
  await expect(bobPage.getByTestId("invitation").filter({ hasText: "Launch plan" })).toBeVisible();
  await checkPage(bobPage, "invitations");
  await bobPage.getByRole("button", { name: "Accept Launch plan" }).click();
  await expect(bobPage).toHaveURL(/\/projects\//);
  await page.reload();
  await expect(page.getByRole("region", { name: "Members of Launch plan" }).getByText("Bob Builder", { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Pending invitations" })).toHaveCount(0);
  await checkPage(page, "members");
  await page.getByRole("link", { name: "Launch plan" }).first().click();
  await page.getByRole("link", { name: "Write budget review" }).click();
  await page.getByTestId("task-drawer").getByLabel("Assignee").selectOption({ label: "Bob Builder" });
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("task").filter({ hasText: "Write budget review" }).getByRole("img", { name: "Bob Builder" })).toBeVisible();

  await page.getByRole("button", { name: /^Account:/ }).click();
  await page.getByRole("menuitem", { name: "Profile and settings" }).click();
  await expect(page.getByLabel("Display name")).toHaveValue(/./);
  await page.getByLabel("Display name").fill("Ada Lovelace");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await checkPage(page, "profile");

  // Bob: the bell counts, the notice opens the task (and is read), his tasks are listed.
  const bell = bobPage.getByRole("link", { name: /Notifications \(\d+ unread\)/ });
  await expect(async () => {
    await bobPage.reload();
    await expect(bell).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await bell.click();
  await expect(bobPage.getByTestId("notification").first()).toBeVisible();
  await expect(bobPage.getByRole("heading", { level: 2, name: "Today" })).toBeVisible();
  await checkPage(bobPage, "notifications");
  await bobPage.getByTestId("notification").filter({ hasText: "Write budget review" }).first().getByRole("link").click();
  await expect(bobPage.getByTestId("task-drawer").getByLabel("Title")).toHaveValue("Write budget review");
  // Opening the task read its notices.
  await expect
    .poll(async () => (await api<{ items: { task_id: string | null; read_at: string | null }[] }>(bobPage, "GET", "/notifications")).items.filter((n) => n.task_id && !n.read_at).length)
    .toBe(0);
  await bobPage.getByTestId("task-drawer").getByLabel("Add a comment").fill("On it: numbers by Friday.");
  await bobPage.getByRole("button", { name: "Comment" }).click();
  await expect(bobPage.getByRole("list", { name: "Comments" })).toContainText("On it: numbers by Friday.");
  await bobPage.keyboard.press("Escape");
  await bobPage.getByRole("link", { name: "Assigned to me" }).click();
  await expect(bobPage.getByRole("heading", { level: 1, name: "Assigned to me" })).toBeVisible();
  await expect(async () => {
    await bobPage.reload(); // the assignee index follows within a moment
    await expect(bobPage.getByRole("link", { name: "Write budget review" })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await checkPage(bobPage, "assigned");
  await bobSide.close();

  // Ada sees Bob's comment, by his name.
  await page.goto("/assigned");
  await page.getByRole("link", { name: "Launch plan" }).click();
  await page.getByRole("link", { name: "Write budget review" }).click();
  const comments = page.getByRole("list", { name: "Comments" });
  await expect(comments).toContainText("On it: numbers by Friday.");
  await expect(comments).toContainText("Bob Builder");
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: /^Account:/ }).click();
  await page.getByRole("menuitem", { name: "Mailbox (local)" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mailbox (local)" })).toBeVisible();
  await expect(page.getByRole("list", { name: "E-mails" })).toContainText("Launch plan");
  await checkPage(page, "mailbox");

  await logOut(page);
  await page.goto("/projects/inbox");
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/forgot");
  await checkPage(page, "forgot");
  await expect(quickAdd(page)).toHaveCount(0);
});
