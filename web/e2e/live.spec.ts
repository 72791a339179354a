// Live updates (issue 16): two people at their desks, one project. Bob's changes reach
// Alice's open list and drawer without a reload; the text Alice is typing survives Bob's
// change to the same task, which the drawer names.
import { expect, test } from "@playwright/test";
import { api, type ApiTask, newUser, rows } from "./support";

test("Bob's changes appear on Alice's open page and drawer without a reload", async ({ browser }) => {
  test.setTimeout(300_000);
  const alice = await newUser(browser, "live-alice", "Alice Live");
  const bob = await newUser(browser, "live-bob", "Bob Live");
  const project = await api<{ id: string }>(alice.page, "POST", "/projects", { name: "Live board" });
  const invitation = await api<{ id: string }>(alice.page, "POST", `/projects/${project.id}/members`, {
    email: bob.address,
    role: "editor",
  });
  await api(bob.page, "POST", `/invitations/${invitation.id}/accept`);
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
