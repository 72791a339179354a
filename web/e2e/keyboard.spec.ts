// Quick add in Europe/Berlin stores the right UTC instant; the keyboard does everything; the
// drawer edits in place and a 412 keeps what was typed.
import { expect, test } from "@playwright/test";
import { addTasks, api, checkPage, createProject, email, quickAdd, rows, signUpAndLogIn, type ApiTask } from "./support";

/** UTC instant of 17:00 tomorrow in Berlin, by the calendar there. */
function tomorrowAt17InBerlin(now = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now).map((p) => [p.type, p.value]),
  );
  const tomorrow = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) + 1, 17, 0));
  // The offset Berlin has at that wall-clock time (+1 in winter, +2 in summer).
  for (const offset of [1, 2]) {
    const guess = new Date(tomorrow.getTime() - offset * 3600_000);
    const hour = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", hourCycle: "h23" }).format(guess);
    if (hour === "17") return guess.toISOString();
  }
  throw new Error("no Berlin offset fits");
}

test("quick add in Berlin: the profile takes the browser's zone, 5pm is 17:00 there", async ({ page }) => {
  await signUpAndLogIn(page, email("berlin"), "Bea Berlin");
  await expect.poll(async () => (await api<{ time_zone: string }>(page, "GET", "/me")).time_zone).toBe("Europe/Berlin");
  await quickAdd(page).fill("Call Ada tomorrow 5pm #sales !high");
  await expect(page.getByText(/^Due tomorrow 17:00/)).toBeVisible(); // shown before saving
  await quickAdd(page).press("Enter");
  await expect(quickAdd(page)).toBeFocused(); // ready for the next one
  await expect(quickAdd(page)).toHaveValue("");
  await expect(rows(page).filter({ hasText: "Call Ada" }).getByText("tomorrow 17:00")).toBeVisible();
  await expect(page.locator('[data-testid="task"][aria-busy="true"]')).toHaveCount(0);
  const inbox = await api<{ items: ApiTask[] }>(page, "GET", "/projects/inbox/tasks");
  expect(inbox.items).toHaveLength(1);
  expect(inbox.items[0]).toMatchObject({ title: "Call Ada", labels: ["sales"], priority: "high" });
  expect(new Date(inbox.items[0]?.due_at ?? "").toISOString()).toBe(tomorrowAt17InBerlin());
  // After a reload the task is where it was (the list's order, not "new on top").
  await addTasks(page, "Second", "Third");
  const before = await rows(page).locator("[data-task-link]").allTextContents();
  await page.reload();
  await expect(rows(page).locator("[data-task-link]")).toHaveText(before);
});

test("the keyboard does everything, and the focus is never lost", async ({ page }) => {
  await signUpAndLogIn(page, email("keys"), "Kay Keys");
  await createProject(page, "Keys");
  await addTasks(page, "First task", "Second task", "Third task");

  // A skip link first; a few Tabs from the top reach the first task.
  await page.reload();
  await expect(rows(page)).toHaveCount(3);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  let presses = 0;
  while (presses < 12 && !(await page.evaluate(() => document.activeElement?.closest("[data-testid=task]") !== null))) {
    await page.keyboard.press("Tab");
    presses += 1;
  }
  expect(presses, "Tab presses from the content to the first task").toBeLessThanOrEqual(8);

  // `?` shows the shortcuts; Esc closes.
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await checkPage(page, "shortcuts");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // j/k move (from the first task, where Tab left the focus), x completes, e opens, Esc
  // closes and gives the focus back.
  await page.keyboard.press("j");
  await expect(page.getByRole("link", { name: "Second task" })).toBeFocused();
  await page.keyboard.press("k");
  await expect(page.getByRole("link", { name: "First task" })).toBeFocused();
  await page.keyboard.press("j");
  await page.keyboard.press("x");
  await expect(page.getByRole("checkbox", { name: "Reopen Second task" })).toBeChecked();
  await expect(page.getByRole("link", { name: "Second task" })).toBeFocused(); // it moved to Done; the focus went with it
  await page.keyboard.press("e");
  await expect(page).toHaveURL(/task=/);
  await expect(page.getByTestId("task-drawer").getByLabel("Title")).toHaveValue("Second task");
  await page.keyboard.press("Escape");
  await expect(page).not.toHaveURL(/task=/);
  await expect(page.getByRole("link", { name: "Second task" })).toBeFocused();

  // n: new task, focus in the quick add.
  await page.keyboard.press("n");
  await expect(quickAdd(page)).toBeFocused();
  await quickAdd(page).press("Escape");

  // `/` opens the palette: jump to a project by typing.
  await page.keyboard.press("/");
  const palette = page.getByRole("dialog", { name: "Command palette" });
  await expect(palette).toBeVisible();
  await checkPage(page, "palette");
  await page.keyboard.type("Inbox");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  // Ctrl+K too, and an action: switch to the board.
  await page.getByRole("link", { name: "Keys" }).click();
  await page.keyboard.press("Control+k");
  await page.keyboard.type("board");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/view=board/);
  await expect(page.getByTestId("board")).toBeVisible();
});

test("the drawer edits in place; a conflict keeps what was typed", async ({ page }) => {
  await signUpAndLogIn(page, email("drawer"), "Dora Drawer");
  await addTasks(page, "Draft the memo");
  await page.getByRole("link", { name: "Draft the memo" }).click();
  const drawer = page.getByTestId("task-drawer");
  await drawer.getByLabel("Title").fill("Draft the memo for Monday");
  await drawer.getByLabel("Title").press("Enter");
  await drawer.getByRole("textbox", { name: "Labels" }).fill("writing");
  await drawer.getByRole("textbox", { name: "Labels" }).press("Enter");
  await drawer.getByLabel("Due date in words").fill("next monday 9am");
  await drawer.getByLabel("Due date in words").press("Enter");
  await expect(drawer.getByText(/^Due (Mon|tomorrow) 09:00/)).toBeVisible();
  await expect(rows(page).filter({ hasText: "Draft the memo for Monday" }).getByText("#writing")).toBeVisible();
  await expect.poll(async () => (await api<{ items: ApiTask[] }>(page, "GET", "/projects/inbox/tasks")).items[0]?.labels).toEqual(["writing"]);

  // Someone else changes the description while we type ours.
  const [task] = (await api<{ items: ApiTask[] }>(page, "GET", "/projects/inbox/tasks")).items;
  await drawer.getByLabel("Description").fill("My careful notes");
  await api(page, "PATCH", `/tasks/${task?.id}`, { description: "Their quick note" });
  await drawer.getByLabel("Title").focus(); // leaving the field saves it
  const conflict = page.getByRole("alert").filter({ hasText: "Someone else changed this task" });
  await expect(conflict).toBeVisible();
  await expect(conflict.getByTestId("conflict-mine")).toHaveText("My careful notes");
  await expect(conflict.getByTestId("conflict-theirs")).toHaveText("Their quick note");
  await expect(drawer.getByLabel("Description")).toHaveValue("My careful notes"); // nothing typed is lost
  await checkPage(page, "task-conflict");
  await conflict.getByRole("button", { name: "Keep mine" }).click();
  await expect(conflict).toHaveCount(0);
  await expect.poll(async () => (await api<ApiTask>(page, "GET", `/tasks/${task?.id}`)).description).toBe("My careful notes");

  // Delete from the drawer: to the trash at once; undo restores it from there (the same
  // task: tests/e2e and depth.spec.ts check its children).
  const sent: string[] = [];
  page.on("request", (request) => ["DELETE", "POST"].includes(request.method()) && sent.push(`${request.method()} ${new URL(request.url()).pathname}`));
  await drawer.getByRole("button", { name: "Delete task" }).click();
  await expect(rows(page)).toHaveCount(0);
  await page.getByTestId("toast").getByRole("button", { name: "Undo" }).click();
  await expect(rows(page)).toHaveCount(1);
  expect(sent).toEqual([`DELETE /tasks/${task?.id}`, `POST /tasks/${task?.id}/restore`]);
  await page.reload();
  await expect(rows(page)).toHaveCount(1);
});

test("a viewer sees no controls they cannot use", async ({ page, browser }) => {
  const viewerSide = await browser.newContext();
  const viewer = await viewerSide.newPage();
  const viewerAddress = email("viewer");
  await signUpAndLogIn(viewer, viewerAddress, "Vic Viewer");
  await signUpAndLogIn(page, email("sharer"), "Sam Sharer");
  await createProject(page, "Read only");
  await addTasks(page, "Look, don't touch");
  const projectId = page.url().split("/projects/")[1]?.split("?")[0] ?? "";
  const invitation = await api<{ id: string }>(page, "POST", `/projects/${projectId}/members`, { email: viewerAddress, role: "viewer" });
  await api(viewer, "POST", `/invitations/${invitation.id}/accept`);
  await viewer.goto(`/projects/${projectId}`);
  await expect(viewer.getByText("You are a viewer here")).toBeVisible();
  await expect(quickAdd(viewer)).toHaveCount(0);
  await expect(viewer.getByRole("checkbox", { name: "Complete Look, don't touch" })).toBeDisabled();
  await viewer.getByRole("link", { name: "Look, don't touch" }).click();
  await expect(viewer.getByTestId("task-drawer").getByLabel("Priority")).toBeDisabled();
  await expect(viewer.getByRole("dialog").getByRole("button", { name: "Delete task" })).toHaveCount(0);
  await expect(viewer.getByRole("dialog").getByRole("button", { name: "Copy a link to this task" })).toBeVisible();
  await viewerSide.close();
});
