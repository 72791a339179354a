import { describe, expect, it } from "vitest";
import { dayHeading, dayTitle, dueBucket, dueState, dueText, formatSize, localInputToUtc, monthGrid, monthOf, monthTitle, moveToDay, relativeDateTime, shiftDay, shiftMonth, utcToLocalInput, weekdayNames } from "@/lib/dates";
import { rejectFile } from "@/lib/upload";

const BERLIN = "Europe/Berlin";

describe("time zones", () => {
  it("turns a wall-clock time in a zone into UTC and back", () => {
    expect(localInputToUtc("2026-12-01T17:00", BERLIN)).toBe("2026-12-01T16:00:00.000Z");
    expect(localInputToUtc("2026-07-01T17:00", BERLIN)).toBe("2026-07-01T15:00:00.000Z");
    expect(localInputToUtc("2026-12-01T09:30", "America/New_York")).toBe("2026-12-01T14:30:00.000Z");
    expect(utcToLocalInput("2026-12-01T16:00:00.000Z", BERLIN)).toBe("2026-12-01T17:00");
    expect(utcToLocalInput(null, "UTC")).toBe("");
    expect(localInputToUtc("", "UTC")).toBeNull();
  });
});

describe("relative phrasing in the user's zone", () => {
  // Thursday 2026-05-07 10:00 in Berlin.
  const now = Date.parse("2026-05-07T08:00:00Z");

  it("says today, tomorrow, yesterday, a weekday, or the date", () => {
    expect(relativeDateTime("2026-05-07T15:00:00Z", BERLIN, now)).toBe("today 17:00");
    expect(relativeDateTime("2026-05-08T07:00:00Z", BERLIN, now)).toBe("tomorrow 09:00");
    expect(relativeDateTime("2026-05-06T15:00:00Z", BERLIN, now)).toBe("yesterday 17:00");
    expect(relativeDateTime("2026-05-11T15:00:00Z", BERLIN, now)).toBe("Mon 17:00");
    expect(relativeDateTime("2026-06-20T15:00:00Z", BERLIN, now)).toBe("20 Jun 17:00");
    expect(relativeDateTime("2027-01-03T15:00:00Z", BERLIN, now)).toBe("3 Jan 2027");
  });

  it("counts days in the user's calendar: 23:30 UTC is already tomorrow in Berlin", () => {
    expect(relativeDateTime("2026-05-07T22:30:00Z", BERLIN, now)).toBe("tomorrow 00:30");
    expect(relativeDateTime("2026-05-07T22:30:00Z", "UTC", now)).toBe("today 22:30");
  });

  it("says how long overdue", () => {
    expect(dueText("2026-05-04T15:00:00Z", false, BERLIN, now)).toBe("3 days overdue");
    expect(dueText("2026-05-06T15:00:00Z", false, BERLIN, now)).toBe("1 day overdue");
    expect(dueText("2026-05-07T05:00:00Z", false, BERLIN, now)).toBe("3 hours overdue");
    expect(dueText("2026-05-04T15:00:00Z", true, BERLIN, now)).toBe("4 May 17:00"); // done: just when
  });

  it("marks overdue and due-soon tasks", () => {
    expect(dueState("2026-05-07T07:00:00Z", false, now)).toBe("overdue");
    expect(dueState("2026-05-08T07:00:00Z", false, now)).toBe("soon");
    expect(dueState("2026-05-15T07:00:00Z", false, now)).toBe("later");
    expect(dueState("2026-05-07T07:00:00Z", true, now)).toBe("none");
    expect(dueState(null, false, now)).toBe("none");
  });

  it("groups by due date in the user's calendar", () => {
    expect(dueBucket("2026-05-07T07:00:00Z", false, BERLIN, now)).toBe("overdue");
    expect(dueBucket("2026-05-07T07:00:00Z", true, BERLIN, now)).toBe("today");
    expect(dueBucket("2026-05-07T20:00:00Z", false, BERLIN, now)).toBe("today");
    expect(dueBucket("2026-05-07T22:30:00Z", false, BERLIN, now)).toBe("tomorrow");
    expect(dueBucket("2026-05-12T07:00:00Z", false, BERLIN, now)).toBe("week");
    expect(dueBucket("2026-06-12T07:00:00Z", false, BERLIN, now)).toBe("later");
    expect(dueBucket(null, false, BERLIN, now)).toBe("none");
  });

  it("heads notification days", () => {
    expect(dayHeading("2026-05-07T06:00:00Z", BERLIN, now)).toBe("Today");
    expect(dayHeading("2026-05-06T06:00:00Z", BERLIN, now)).toBe("Yesterday");
    expect(dayHeading("2026-05-04T06:00:00Z", BERLIN, now)).toBe("Monday 4 May");
  });
});

describe("attachments", () => {
  it("explains a file that cannot be attached before uploading", () => {
    expect(rejectFile({ name: "a.png", size: 10, type: "image/png" })).toBeNull();
    expect(rejectFile({ name: "big.pdf", size: 26 * 1024 * 1024, type: "application/pdf" })).toMatch(/larger than 25 MiB/);
    expect(rejectFile({ name: "x.svg", size: 10, type: "image/svg+xml" })).toMatch(/cannot be attached/);
    expect(rejectFile({ name: "e.txt", size: 0, type: "text/plain" })).toMatch(/empty/);
    expect(formatSize(2048)).toBe("2.0 KiB");
  });
});

describe("the calendar month", () => {
  it("spans whole weeks, Monday first, in the user's zone", () => {
    const { weeks, from, to } = monthGrid("2026-03", BERLIN);
    expect(weeks).toHaveLength(6); // 1 March 2026 is a Sunday
    expect(weeks[0]?.[0]).toMatchObject({ key: "2026-02-23", inMonth: false });
    expect(weeks[0]?.[6]).toMatchObject({ key: "2026-03-01", inMonth: true, weekend: true });
    expect(weeks.at(-1)?.at(-1)?.key).toBe("2026-04-05");
    expect(from).toBe("2026-02-22T23:00:00.000Z"); // midnight in Berlin (UTC+1)
    expect(to).toBe("2026-04-05T22:00:00.000Z"); // summer time by then (UTC+2)
    expect(monthGrid("2027-02", "UTC").weeks).toHaveLength(4); // Monday 1 Feb 2027 to Sunday 28
  });

  it("moves a task to another day at the same wall-clock time, across DST", () => {
    expect(moveToDay("2026-03-27T16:00:00.000Z", "2026-03-30", BERLIN)).toBe("2026-03-30T15:00:00.000Z"); // 17:00 both days
    expect(shiftDay("2026-12-31", 1)).toBe("2027-01-01");
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(monthOf(Date.parse("2026-05-31T22:30:00Z"), BERLIN)).toBe("2026-06");
    expect(monthTitle("2026-12")).toBe("December 2026");
    expect(dayTitle("2026-12-07")).toBe("Monday 7 December");
    expect(weekdayNames()[0]).toBe("Mon");
  });
});
