import { describe, expect, it } from "vitest";
import { dueRange, parseLabels, taskChanges } from "@/lib/tasks";
import { dueState, formatSize, localInputToUtc, utcToLocalInput } from "@/lib/time";
import { rejectFile } from "@/lib/upload";
import type { Task } from "@/lib/types";

describe("time zones", () => {
  it("turns a wall-clock time in a zone into UTC and back", () => {
    expect(localInputToUtc("2026-12-01T17:00", "Europe/Berlin")).toBe("2026-12-01T16:00:00.000Z");
    expect(localInputToUtc("2026-07-01T17:00", "Europe/Berlin")).toBe("2026-07-01T15:00:00.000Z");
    expect(localInputToUtc("2026-12-01T09:30", "America/New_York")).toBe("2026-12-01T14:30:00.000Z");
    expect(utcToLocalInput("2026-12-01T16:00:00.000Z", "Europe/Berlin")).toBe("2026-12-01T17:00");
    expect(utcToLocalInput(null, "UTC")).toBe("");
    expect(localInputToUtc("", "UTC")).toBeNull();
  });

  it("marks overdue and due-soon tasks", () => {
    const now = Date.parse("2026-05-01T12:00:00Z");
    expect(dueState("2026-05-01T11:00:00Z", false, now)).toBe("overdue");
    expect(dueState("2026-05-02T11:00:00Z", false, now)).toBe("soon");
    expect(dueState("2026-05-09T11:00:00Z", false, now)).toBe("later");
    expect(dueState("2026-05-01T11:00:00Z", true, now)).toBe("none");
    expect(dueState(null, false, now)).toBe("none");
  });

  it("maps due windows to the API's filters", () => {
    const now = Date.parse("2026-05-01T12:00:00Z");
    expect(dueRange("overdue", now)).toEqual({ due_before: "2026-05-01T12:00:00.000Z" });
    expect(dueRange("day", now)).toEqual({ due_after: "2026-05-01T12:00:00.000Z", due_before: "2026-05-02T12:00:00.000Z" });
    expect(dueRange("any", now)).toEqual({});
  });
});

describe("tasks", () => {
  const task: Task = {
    id: "t", project_id: "p", title: "A", description: "", status: "todo", priority: "medium",
    due_at: "2026-05-01T12:00:00.000Z", labels: ["x"], created_at: "", updated_at: "", completed_at: null,
    created_by: "u", version: 3,
  };

  it("normalises labels like the API", () => {
    expect(parseLabels(" Urgent, Q3  budget ,urgent,, ")).toEqual(["urgent", "q3 budget"]);
  });

  it("sends only what changed", () => {
    expect(taskChanges(task, { title: "A", description: "", status: "todo", priority: "medium", due_at: "2026-05-01T12:00:00Z", labels: ["x"] })).toEqual({});
    expect(taskChanges(task, { title: "B", description: "", status: "done", priority: "medium", due_at: null, labels: ["x", "y"] })).toEqual({
      title: "B",
      status: "done",
      due_at: null,
      labels: ["x", "y"],
    });
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
