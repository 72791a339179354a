// The board: drag a card across columns with the mouse and with the keyboard; after a reload
// the order holds, and a second member sees the same order. A repeating card dropped on Done
// brings its next occurrence to To do at once. Needs the board contract (task
// positions, POST /tasks/{id}/move): against an API without it, this fails by design.
import { expect, test, type Page } from "@playwright/test";
import { api, apiPaths, createProject, email, newUser, quickAdd, signUpAndLogIn, type ApiTask } from "./support";

function column(page: Page, status: "todo" | "in_progress" | "done") {
  return page.getByTestId(`column-${status}`).getByTestId("card").locator("[data-task-link]");
}

/** Drags the card's centre onto `target` in small steps, as a hand would. */
async function drag(page: Page, card: string, target: ReturnType<Page["locator"]>, offsetY = 0) {
  const from = await page.getByTestId("card").filter({ hasText: card }).boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("nothing to drag");
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 8, from.y + from.height / 2 + 8, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2 + offsetY, { steps: 12 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2 + offsetY + 2, { steps: 2 });
  await page.mouse.up();
}

test("drag and drop holds its order, for everyone", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const owner = email("owner");
  const { context: mateSide, page: mate, address: mateAddress } = await newUser(browser, "mate", "Mate Member");

  await signUpAndLogIn(page, owner, "Olive Owner");
  await createProject(page, "Roadmap");
  // One at a time, each saved before the next is typed: the server numbers tasks in the order
  // their requests reach it, and this test is about the board's order, not quick add's.
  for (const title of ["Alpha", "Bravo", "Charlie", "Delta"]) {
    await quickAdd(page).fill(title);
    await quickAdd(page).press("Enter");
    await expect(quickAdd(page)).toHaveValue("");
    await expect(page.locator('[data-testid="task"][aria-busy="true"]')).toHaveCount(0);
  }
  await page.getByRole("radio", { name: "Board" }).click();
  await expect(column(page, "todo")).toHaveText(["Alpha", "Bravo", "Charlie", "Delta"]);

  // Mouse: Charlie to In progress, Delta above Alpha.
  await drag(page, "Charlie", page.getByTestId("column-in_progress").getByRole("list"));
  await expect(column(page, "in_progress")).toHaveText(["Charlie"]);
  // Order within a column is the board contract's (task positions, POST /tasks/{id}/move).
  expect([...(await apiPaths())], "the API does not serve the board contract (POST /tasks/{task_id}/move) yet").toContain("/tasks/{task_id}/move");
  await drag(page, "Delta", page.getByTestId("card").filter({ hasText: "Alpha" }), -12);
  await expect(column(page, "todo")).toHaveText(["Delta", "Alpha", "Bravo"]);

  // Keyboard: Bravo's handle, Space, right arrow (to In progress), Space.
  await page.getByTestId("card").filter({ hasText: "Bravo" }).locator("[data-task-link]").focus();
  await page.getByRole("button", { name: "Move Bravo" }).focus();
  // Each key after the announcement of the one before, as a screen-reader user goes: the
  // arrow keys do nothing until the drag has measured the columns (a busy machine is slow).
  const heard = (text: RegExp) => expect(page.getByRole("status").filter({ hasText: text })).toHaveCount(1);
  await page.keyboard.press("Space");
  await heard(/Bravo is over To do/); // picked up, and measured: it knows where it is
  await page.keyboard.press("ArrowRight");
  await heard(/Bravo is over In progress/);
  await page.keyboard.press("Space");
  await expect(column(page, "in_progress")).toContainText(["Bravo"]);
  // Screen readers heard where it went (dnd-kit's live region).
  await expect(page.getByRole("status").filter({ hasText: /Dropped Bravo in In progress/ })).toHaveCount(1);
  // The second keyboard way: Alt+Down moves Delta below Alpha.
  await page.getByTestId("card").filter({ hasText: "Delta" }).locator("[data-task-link]").focus();
  await page.keyboard.press("Alt+ArrowDown");
  await expect(column(page, "todo")).toHaveText(["Alpha", "Delta"]);
  const inProgress = await column(page, "in_progress").allTextContents();
  expect(inProgress.sort()).toEqual(["Bravo", "Charlie"]);

  // Everything settled on the server: reload, the order holds.
  await expect.poll(async () => (await api<{ items: ApiTask[] }>(page, "GET", `/projects/${page.url().split("/projects/")[1]?.split("?")[0]}/tasks?status=todo&sort=position&limit=10`)).items.map((t) => t.title)).toEqual(["Alpha", "Delta"]);
  await page.reload();
  await expect(column(page, "todo")).toHaveText(["Alpha", "Delta"]);
  await expect(column(page, "in_progress")).toHaveText(inProgress);

  // A member sees the same order.
  await page.getByRole("main").getByRole("button", { name: "Actions for Roadmap" }).click();
  await page.getByRole("menuitem", { name: "Members and sharing" }).click();
  await page.getByLabel("E-mail address to invite").fill(mateAddress);
  await page.getByRole("button", { name: "Share" }).click();
  await expect(page.getByText(`Invited ${mateAddress}`)).toBeVisible();
  await mate.goto("/invitations");
  await mate.getByRole("button", { name: "Accept Roadmap" }).click();
  await expect(mate).toHaveURL(/\/projects\//);
  // On the project's page before choosing its view (on a busy machine the first click can
  // land before the page listens, and the Inbox's board would be chosen instead).
  await expect(async () => {
    await mate.getByRole("link", { name: "Roadmap" }).click();
    await expect(mate.getByRole("heading", { level: 1, name: "Roadmap" })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  await mate.getByRole("radio", { name: "Board" }).click();
  await expect(column(mate, "todo")).toHaveText(["Alpha", "Delta"]);
  await expect(column(mate, "in_progress")).toHaveText(inProgress);
  await mateSide.close();
});

test("a repeating card dropped on Done brings its next occurrence to To do, without a reload", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpAndLogIn(page, email("repeat"), "Rita Repeat");
  await createProject(page, "Chores");
  await quickAdd(page).fill("Water the plants every monday");
  await quickAdd(page).press("Enter");
  await expect(quickAdd(page)).toHaveValue("");
  await expect(page.locator('[data-testid="task"][aria-busy="true"]')).toHaveCount(0);
  await page.getByRole("radio", { name: "Board" }).click();
  await expect(column(page, "todo")).toHaveText(["Water the plants"]);

  // What the page asks the API from here on, in order.
  const asked: string[] = [];
  page.on("request", (request) => asked.push(`${request.method()} ${new URL(request.url()).pathname}`));
  await drag(page, "Water the plants", page.getByTestId("column-done").getByRole("list"));
  await expect(column(page, "done")).toHaveText(["Water the plants"]);
  // The next occurrence, created with the completion, shows in To do.
  await expect(column(page, "todo")).toHaveText(["Water the plants"]);
  const projectId = page.url().split("/projects/")[1]?.split(/[?#]/)[0] ?? "";
  const moved = asked.findIndex((line) => /^POST .*\/tasks\/[^/]+\/move$/.test(line));
  expect(moved, asked.join("\n")).toBeGreaterThanOrEqual(0);
  // The board read its columns again after the move (it does not wait for the live update).
  const reread = asked.slice(moved + 1).some((line) => line.startsWith("GET ") && line.endsWith(`/projects/${projectId}/tasks`));
  expect(reread, asked.join("\n")).toBe(true);
  const tasks = await api<{ items: ApiTask[] }>(page, "GET", `/projects/${projectId}/tasks?limit=10`);
  expect(tasks.items.map((t) => t.status).sort()).toEqual(["done", "todo"]);
});
