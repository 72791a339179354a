// Live updates (issue 16): two people at their desks, one project. Bob's changes reach
// Alice's open list and drawer without a reload; the text Alice is typing survives Bob's
// change to the same task, which the drawer names. On the board, Bob's move, completion, edit,
// comment and attachment reach Alice's columns and the card's drawer the same way.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { api, attach, type ApiTask, newUser, PNG, rows } from "./support";

/** Alice and Bob, each in a browser context of their own, and Alice's project Bob edits in. */
async function sharedProject(browser: Browser, surname: string, projectName: string) {
  const alice = await newUser(browser, `${surname.toLowerCase()}-alice`, `Alice ${surname}`);
  const bob = await newUser(browser, `${surname.toLowerCase()}-bob`, `Bob ${surname}`);
  const project = await api<{ id: string }>(alice.page, "POST", "/projects", { name: projectName });
  const invitation = await api<{ id: string }>(alice.page, "POST", `/projects/${project.id}/members`, {
    email: bob.address,
    role: "editor",
  });
  await api(bob.page, "POST", `/invitations/${invitation.id}/accept`);
  return { alice, bob, project };
}

test("Bob's changes appear on Alice's open page and drawer without a reload", async ({ browser }) => {
  test.setTimeout(300_000);
  const { alice, bob, project } = await sharedProject(browser, "Live", "Live board");
  const task = await api<ApiTask>(alice.page, "POST", `/projects/${project.id}/tasks`, { title: "Ship it" });

  await alice.page.goto(`/projects/${project.id}`);
  await expect(rows(alice.page)).toHaveCount(1);

  // Bob adds a task, renames Alice's and completes it: her list follows, no reload.
  await api(bob.page, "POST", `/projects/${project.id}/tasks`, { title: "From Bob" });
  await expect(rows(alice.page).filter({ hasText: "From Bob" })).toHaveCount(1);
  await api(bob.page, "PATCH", `/tasks/${task.id}`, { title: "Shipped by Bob" });
  await expect(rows(alice.page).filter({ hasText: "Shipped by Bob" })).toHaveCount(1);

  // Alice opens the task and types; Bob changes its due date meanwhile.
  await alice.page.goto(`/projects/${project.id}?task=${task.id}`);
  const drawer = alice.page.getByTestId("task-drawer");
  const description = drawer.getByLabel("Description");
  await description.fill("Alice's notes, not saved yet");
  await api(bob.page, "PATCH", `/tasks/${task.id}`, { due_at: "2030-01-15T09:00:00Z" });
  await expect(drawer.getByTestId("live-change")).toHaveText("Bob Live changed the due date");
  await expect(description).toHaveValue("Alice's notes, not saved yet");

  // A comment of Bob's appears in the drawer too.
  await api(bob.page, "POST", `/tasks/${task.id}/comments`, { body: "Looks good" });
  await expect(drawer.getByText("Looks good")).toBeVisible();

  await alice.context.close();
  await bob.context.close();
});

/** A board column's card titles, as Alice sees them. */
function column(page: Page, status: "todo" | "in_progress" | "done") {
  return page.getByTestId(`column-${status}`).getByTestId("card").locator("[data-task-link]");
}

test("Bob's move, completion, edit, comment and attachment appear on Alice's open board and drawer", async ({ browser }) => {
  test.setTimeout(300_000);
  const { alice, bob, project } = await sharedProject(browser, "Board", "Live columns");
  // One at a time: a column lists its cards in the order the server numbered them.
  const plan = await api<ApiTask>(alice.page, "POST", `/projects/${project.id}/tasks`, { title: "Plan" });
  const build = await api<ApiTask>(alice.page, "POST", `/projects/${project.id}/tasks`, { title: "Build" });
  const check = await api<ApiTask>(alice.page, "POST", `/projects/${project.id}/tasks`, { title: "Check" });

  await alice.page.goto(`/projects/${project.id}?view=board`);
  await expect(column(alice.page, "todo")).toHaveText(["Plan", "Build", "Check"]);
  // Nothing below reloads Alice's page: a reload would show Bob's changes without the socket.
  let loads = 0;
  alice.page.on("load", () => (loads += 1));

  // Bob moves a card to another column, completes a task and renames one: her board follows.
  await api(bob.page, "POST", `/tasks/${build.id}/move`, { status: "in_progress", after: null, before: null });
  await expect(column(alice.page, "in_progress")).toHaveText(["Build"]);
  await expect(column(alice.page, "todo")).toHaveText(["Plan", "Check"]);
  await api(bob.page, "PATCH", `/tasks/${plan.id}`, { status: "done" });
  await expect(column(alice.page, "done")).toHaveText(["Plan"]);
  await expect(column(alice.page, "todo")).toHaveText(["Check"]);
  await api(bob.page, "PATCH", `/tasks/${check.id}`, { title: "Check twice" });
  await expect(column(alice.page, "todo")).toHaveText(["Check twice"]);

  // Alice opens a card's drawer from the board (no page load: the app routes it).
  await alice.page.getByTestId("card").filter({ hasText: "Build" }).locator("[data-task-link]").click();
  const drawer = alice.page.getByTestId("task-drawer");
  await expect(drawer.getByLabel("Title", { exact: true })).toHaveValue("Build");
  await expect(drawer.getByLabel("Status", { exact: true })).toHaveValue("in_progress");

  // Bob edits the task: the drawer names the change and shows it, so does the card.
  await api(bob.page, "PATCH", `/tasks/${build.id}`, { title: "Build it well" });
  await expect(drawer.getByTestId("live-change")).toHaveText("Bob Board changed the title");
  await expect(drawer.getByLabel("Title", { exact: true })).toHaveValue("Build it well");
  await expect(column(alice.page, "in_progress")).toHaveText(["Build it well"]);

  // Bob completes it by moving its card to Done: the drawer's status and the board follow.
  await api(bob.page, "POST", `/tasks/${build.id}/move`, { status: "done", after: plan.id, before: null });
  await expect(drawer.getByLabel("Status", { exact: true })).toHaveValue("done");
  await expect(column(alice.page, "done")).toHaveText(["Plan", "Build it well"]);
  await expect(column(alice.page, "in_progress")).toHaveCount(0);

  // Bob comments and attaches a file: both appear in the open drawer.
  await api(bob.page, "POST", `/tasks/${build.id}/comments`, { body: "Built and checked" });
  await expect(drawer.getByText("Built and checked")).toBeVisible();
  await attach(bob.page, build.id, { name: "wiring.png", mimeType: "image/png", buffer: PNG });
  await expect(drawer.getByRole("button", { name: "Download wiring.png" })).toBeVisible();

  expect(loads, "Alice's page was loaded again").toBe(0);
  await alice.context.close();
  await bob.context.close();
});
