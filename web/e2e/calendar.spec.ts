// The calendar: due dates in the user's month; drag a task to another day (its time of day
// kept) or move it by keyboard; the dates hold after a reload; on a phone, an agenda.
import { expect, test } from "@playwright/test";
import { api, checkPage, createProject, email, quickAdd, signUpAndLogIn, type ApiTask } from "./support";

test("reschedule on the calendar by mouse and keyboard", async ({ page }) => {
  await signUpAndLogIn(page, email("calendar"), "Cal Endar");
  await createProject(page, "Events");
  // Fixed days in the month after next (never "today"), 17:00 in Berlin.
  const base = new Date();
  const month = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth() + 2, 1));
  const key = (d: number) => `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  for (const [title, day] of [["Launch party", 10], ["Press release", 12]] as const) {
    await quickAdd(page).fill(`${title} ${key(day)} 17:00`);
    await quickAdd(page).press("Enter");
  }
  await expect(page.locator('[data-testid="task"][aria-busy="true"]')).toHaveCount(0);
  const projectId = page.url().split("/projects/")[1]?.split("?")[0] ?? "";
  await page.goto(`/projects/${projectId}?view=calendar&month=${key(1).slice(0, 7)}`);
  const calendar = page.getByTestId("calendar");
  await expect(calendar.locator(`[data-day="${key(10)}"]`).getByText("Launch party")).toBeVisible();
  await checkPage(page, "project-calendar");

  // Mouse: Launch party from the 10th to the 17th.
  const chip = await calendar.getByTestId("calendar-task").filter({ hasText: "Launch party" }).boundingBox();
  const target = await calendar.locator(`[data-day="${key(17)}"]`).boundingBox();
  if (!chip || !target) throw new Error("nothing to drag");
  await page.mouse.move(chip.x + 10, chip.y + chip.height / 2);
  await page.mouse.down();
  await page.mouse.move(chip.x + 20, chip.y + 20, { steps: 4 });
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 10 });
  await page.mouse.up();
  await expect(calendar.locator(`[data-day="${key(17)}"]`).getByText("Launch party")).toBeVisible();

  // Keyboard: Press release a day later (Alt+→).
  await calendar.getByRole("link", { name: "Press release" }).focus();
  await page.keyboard.press("Alt+ArrowRight");
  await expect(calendar.locator(`[data-day="${key(13)}"]`).getByText("Press release")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Moved “Press release”" })).toHaveCount(1);

  // Stored: same time of day (17:00 in Berlin), new days.
  await expect
    .poll(async () => {
      const tasks = (await api<{ items: ApiTask[] }>(page, "GET", `/projects/${projectId}/tasks?sort=due`)).items;
      return tasks.map((t) => `${t.title} ${new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Berlin", dateStyle: "short", timeStyle: "short" }).format(new Date(t.due_at ?? 0))}`);
    })
    .toEqual([`Press release ${key(13)} 17:00`, `Launch party ${key(17)} 17:00`]);
  await page.reload();
  await expect(calendar.locator(`[data-day="${key(17)}"]`).getByText("Launch party")).toBeVisible();
  await expect(calendar.locator(`[data-day="${key(13)}"]`).getByText("Press release")).toBeVisible();

  // The month navigation is URL state too.
  await page.getByRole("button", { name: "Next month" }).click();
  await expect(page).toHaveURL(new RegExp(`month=${key(1).slice(0, 4)}-|month=\\d{4}-\\d{2}`));
  await page.goBack();
  await expect(calendar.locator(`[data-day="${key(17)}"]`).getByText("Launch party")).toBeVisible();
});
