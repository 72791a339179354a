// Tasks with depth in the browser against the stack `make run` starts: a checklist in the
// drawer with its progress in the list row, the task's history beside its comments, the trash
// and a restore, the project's feed, archive and unarchive from the project menu; Undo after
// deleting a comment, a checklist item or a file. Every new page checked with axe at both
// sizes in both themes, with screenshots.
import { expect, test } from "@playwright/test";
import { addTasks, api, checkPage, createProject, email, PNG, rows, signUpAndLogIn } from "./support";

test("checklist, history, trash, feed and archive", async ({ page }) => {
  test.setTimeout(600_000);
  await signUpAndLogIn(page, email("dee"), "Dee Pth");
  await createProject(page, "Move house");
  await addTasks(page, "Pack the kitchen");
  const row = rows(page).filter({ hasText: "Pack the kitchen" });
  await row.getByRole("link", { name: "Pack the kitchen" }).click();
  const drawer = page.getByTestId("task-drawer");
  await expect(drawer).toBeVisible();

  // The checklist: add two items, tick one; the drawer and the row say 1/2.
  const newItem = drawer.getByLabel("Add a checklist item");
  for (const text of ["Plates", "Cups"]) {
    await newItem.fill(text);
    await newItem.press("Enter");
    await expect(drawer.getByTestId("checklist-item").filter({ hasText: text }).getByRole("checkbox")).toBeEnabled();
  }
  await drawer.getByRole("checkbox", { name: "Plates" }).check();
  await expect(drawer.getByTestId("checklist-progress")).toHaveText("1/2");
  await expect(row.getByTestId("checklist-progress")).toHaveText("1/2");
  // The history follows from the stream a moment later (the panel polls).
  await expect(drawer.getByTestId("activity")).toContainText("ticked “Plates”", { timeout: 30_000 });
  await checkPage(page, "task-drawer-checklist");
  await drawer.getByRole("button", { name: "Close" }).click();

  // Quick add understands "every monday"; the drawer's picker says it in words with the next
  // dates; completing it brings the next occurrence.
  await page.getByRole("textbox", { name: "New task" }).fill("Water the plants every monday");
  await expect(page.getByTestId("quick-add-repeat")).toHaveText(/every monday/);
  await page.getByRole("textbox", { name: "New task" }).press("Enter");
  const plants = rows(page).filter({ hasText: "Water the plants" });
  await expect(plants).toHaveCount(1);
  await expect(plants).not.toHaveAttribute("aria-busy", "true");
  await plants.getByRole("link", { name: "Water the plants" }).click();
  await expect(drawer.getByLabel("Repeats")).toHaveValue("FREQ=WEEKLY;BYDAY=MO");
  await expect(drawer.getByTestId("repeat-preview")).toContainText("Weekly on Mon");
  await checkPage(page, "task-drawer-repeat");
  await drawer.getByLabel("Repeats").selectOption({ label: "Every 2 weeks on Monday" });
  await expect(drawer.getByTestId("repeat-preview")).toContainText("Every 2 weeks on Mon");
  await drawer.getByRole("button", { name: "Close" }).click();
  // Through its series: one request when the server has the next occurrence prepared.
  const throughSeries = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/recurrence/complete"));
  await plants.getByRole("checkbox", { name: "Complete Water the plants" }).click();
  await throughSeries;
  await expect(rows(page).filter({ hasText: "Water the plants" }).getByRole("checkbox", { name: "Reopen Water the plants" })).toHaveCount(1);
  await expect(rows(page).filter({ hasText: "Water the plants" })).toHaveCount(2); // done, and the next
  await expect(rows(page).filter({ hasText: "Water the plants" }).getByRole("checkbox", { name: "Complete Water the plants" })).toHaveCount(1);

  // Deleted from the drawer, it goes to the trash at once (the server says so before any
  // Undo), and the toast's Undo restores it from there whole: the same id, its checklist
  // and its comment.
  const projectId = page.url().split("/projects/")[1]?.split(/[?#]/)[0] ?? "";
  const tasks = await api<{ items: { id: string; title: string }[] }>(page, "GET", `/projects/${projectId}/tasks`);
  const packed = tasks.items.find((t) => t.title === "Pack the kitchen");
  expect(packed).toBeDefined();
  await api(page, "POST", `/tasks/${packed?.id}/comments`, { body: "Wrap the glasses" });
  await row.getByRole("link", { name: "Pack the kitchen" }).click();
  await drawer.getByRole("button", { name: "Delete task" }).click();
  await expect(rows(page).filter({ hasText: "Pack the kitchen" })).toHaveCount(0);
  const toastUndo = page.getByTestId("toast").filter({ hasText: "Moved “Pack the kitchen” to the trash" }).getByRole("button", { name: "Undo" });
  await expect(toastUndo).toBeVisible();
  const inTrash = await api<{ items: { id: string }[] }>(page, "GET", `/projects/${projectId}/trash`);
  expect(inTrash.items.map((t) => t.id)).toEqual([packed?.id]);
  await toastUndo.click();
  await expect(row.getByTestId("checklist-progress")).toHaveText("1/2");
  const back = await api<{ id: string; deleted_at: string | null; checklist: { text: string }[] }>(page, "GET", `/tasks/${packed?.id}`);
  expect([back.id, back.deleted_at, back.checklist.map((i) => i.text)]).toEqual([packed?.id, null, ["Plates", "Cups"]]);
  const comments = await api<{ items: { body: string }[] }>(page, "GET", `/tasks/${packed?.id}/comments`);
  expect(comments.items.map((c) => c.body)).toEqual(["Wrap the glasses"]);
  expect((await api<{ items: unknown[] }>(page, "GET", `/projects/${projectId}/trash`)).items).toEqual([]);

  // Deleted again (through the API), it waits on the Trash page, and comes back from there.
  await api(page, "DELETE", `/tasks/${packed?.id}`);
  await page.getByRole("main").getByRole("button", { name: "Actions for Move house" }).click();
  await page.getByRole("menuitem", { name: "Trash" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Trash of Move house" })).toBeVisible();
  await expect(page.getByTestId("trashed")).toHaveText([/Pack the kitchen/]);
  await checkPage(page, "trash");
  await page.getByRole("button", { name: "Restore" }).click();
  await expect(page.getByText("The trash is empty")).toBeVisible();
  await page.getByRole("link", { name: "Move house" }).first().click();
  await expect(rows(page).filter({ hasText: "Pack the kitchen" }).getByTestId("checklist-progress")).toHaveText("1/2");

  // The project's feed.
  await page.getByRole("main").getByRole("button", { name: "Actions for Move house" }).click();
  await page.getByRole("menuitem", { name: "Activity" }).click();
  await expect(page.getByTestId("activity")).toContainText("restored", { timeout: 30_000 });
  await checkPage(page, "project-activity");

  // Archived: read-only, out of the sidebar (listed under Archived), and back.
  await page.getByRole("link", { name: "Move house" }).first().click();
  await page.getByRole("main").getByRole("button", { name: "Actions for Move house" }).click();
  await page.getByRole("menuitem", { name: "Archive" }).click();
  await expect(page).toHaveURL(/\/projects\/inbox/);
  const sidebar = page.getByRole("navigation", { name: "Projects" });
  await expect(sidebar.getByRole("link", { name: "Move house" })).toHaveCount(0);
  await sidebar.getByText("Archived (1)").click();
  await sidebar.getByRole("link", { name: "Move house" }).click();
  await expect(page.getByText("This project is archived")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "New task" })).toHaveCount(0);
  await checkPage(page, "archived-project");
  await page.getByRole("main").getByRole("button", { name: "Actions for Move house" }).click();
  await page.getByRole("menuitem", { name: "Unarchive" }).click();
  await expect(page.getByText("This project is archived")).toHaveCount(0);
  await expect(page.getByRole("textbox", { name: "New task" })).toBeVisible();
});

test("Undo after deleting a comment, a checklist item or a file", async ({ page }) => {
  test.setTimeout(300_000);
  await signUpAndLogIn(page, email("uma"), "Uma Ndo");
  await createProject(page, "Garden");
  await addTasks(page, "Plant bulbs");
  await rows(page).filter({ hasText: "Plant bulbs" }).getByRole("link", { name: "Plant bulbs" }).click();
  const drawer = page.getByTestId("task-drawer");
  const projectId = page.url().split("/projects/")[1]?.split(/[?#]/)[0] ?? "";
  const listed = await api<{ items: { id: string; title: string }[] }>(page, "GET", `/projects/${projectId}/tasks`);
  const taskId = listed.items.find((t) => t.title === "Plant bulbs")?.id ?? "";
  const commentsNow = async () => (await api<{ items: { body: string }[] }>(page, "GET", `/tasks/${taskId}/comments`)).items.map((c) => c.body);
  const checklistNow = async () => (await api<{ checklist: { text: string }[] }>(page, "GET", `/tasks/${taskId}`)).checklist.map((i) => i.text);
  const filesNow = async () => (await api<{ items: { file_name: string }[] }>(page, "GET", `/tasks/${taskId}/attachments`)).items.map((a) => a.file_name);

  await drawer.getByLabel("Add a checklist item").fill("Tulips");
  await drawer.getByLabel("Add a checklist item").press("Enter");
  await expect(drawer.getByRole("checkbox", { name: "Tulips" })).toBeEnabled();
  await drawer.getByLabel("Add a comment").fill("Before the frost");
  await drawer.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(drawer.getByText("Before the frost")).toBeVisible();
  await drawer.getByLabel("Attach a file").setInputFiles({ name: "beds.png", mimeType: "image/png", buffer: PNG });
  await expect(drawer.getByRole("button", { name: "Download beds.png" })).toBeVisible();
  const undoIn = (title: string) => page.getByTestId("toast").filter({ hasText: title }).getByRole("button", { name: "Undo" });

  // The comment: gone from the drawer at once, still on the server while Undo is offered;
  // Undo brings it back, and nothing is deleted after the toast has gone.
  await drawer.getByRole("button", { name: "Delete comment" }).click();
  await drawer.getByRole("group", { name: "Delete this comment?" }).getByRole("button", { name: "Delete" }).click();
  await expect(drawer.getByText("Before the frost")).toHaveCount(0);
  await expect(undoIn("Deleted the comment")).toBeVisible();
  expect(await commentsNow()).toEqual(["Before the frost"]);
  await undoIn("Deleted the comment").click();
  await expect(drawer.getByText("Before the frost")).toBeVisible();

  // The checklist item, the same way.
  await drawer.getByRole("button", { name: "Remove “Tulips”" }).click();
  await expect(drawer.getByRole("checkbox", { name: "Tulips" })).toHaveCount(0);
  await expect(undoIn("Removed “Tulips”")).toBeVisible();
  expect(await checklistNow()).toEqual(["Tulips"]);
  await undoIn("Removed “Tulips”").click();
  await expect(drawer.getByRole("checkbox", { name: "Tulips" })).toBeVisible();

  // The file: left to go, it is deleted when its toast closes (here: dismissed).
  await drawer.getByRole("button", { name: "Delete beds.png" }).click();
  await drawer.getByRole("group", { name: "Delete beds.png?" }).getByRole("button", { name: "Delete" }).click();
  await expect(drawer.getByTestId("attachment")).toHaveCount(0);
  expect(await filesNow()).toEqual(["beds.png"]);
  await page.getByTestId("toast").filter({ hasText: "Deleted beds.png" }).getByRole("button", { name: "Dismiss" }).click();
  await expect.poll(filesNow, { timeout: 15_000 }).toEqual([]);
  // The two undone deletes were never sent (their toasts closed when Undo was taken).
  await expect(page.getByTestId("toast").filter({ hasText: "Removed “Tulips”" })).toHaveCount(0, { timeout: 20_000 });
  expect(await commentsNow()).toEqual(["Before the frost"]);
  expect(await checklistNow()).toEqual(["Tulips"]);

  // Leaving the page while Undo is still offered sends the delete on the way out (keepalive).
  await drawer.getByRole("button", { name: "Delete comment" }).click();
  await drawer.getByRole("group", { name: "Delete this comment?" }).getByRole("button", { name: "Delete" }).click();
  await expect(undoIn("Deleted the comment")).toBeVisible();
  await page.goto("about:blank");
  await expect.poll(commentsNow, { timeout: 15_000 }).toEqual([]);
});
