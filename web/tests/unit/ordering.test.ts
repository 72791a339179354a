import { describe, expect, it } from "vitest";
import { compareTasks, dueRange, insertionIndex, isTemporary, matches, neighboursAt, parseLabels, provisionalPosition, temporaryId } from "@/lib/tasks/ordering";
import { task } from "./tasks";

describe("which tasks a list holds", () => {
  const now = Date.parse("2026-05-01T12:00:00Z");

  it("applies status, priority and label like the API (labels normalised)", () => {
    const t = task({ status: "in_progress", priority: "high", labels: ["q3 budget"] });
    expect(matches(t, { sort: "created", order: "asc", status: "in_progress", priority: "high", label: "  Q3   Budget " })).toBe(true);
    expect(matches(t, { sort: "created", order: "asc", status: "todo" })).toBe(false);
    expect(matches(t, { sort: "created", order: "asc", label: "ops" })).toBe(false);
  });

  it("maps due windows to the API's filters; a task without a due date never matches one", () => {
    expect(dueRange("overdue", now)).toEqual({ due_before: "2026-05-01T12:00:00.000Z" });
    expect(dueRange("day", now)).toEqual({ due_after: "2026-05-01T12:00:00.000Z", due_before: "2026-05-02T12:00:00.000Z" });
    expect(dueRange("any", now)).toEqual({});
    const spec = { sort: "due" as const, order: "asc" as const, due: "day" as const };
    expect(matches(task({ due_at: "2026-05-02T11:59:00.000Z" }), spec, now)).toBe(true);
    expect(matches(task({ due_at: "2026-05-02T12:00:00.000Z" }), spec, now)).toBe(false); // due_before is exclusive
    expect(matches(task({ due_at: null }), spec, now)).toBe(false);
  });

  it("normalises labels like the API", () => {
    expect(parseLabels(" Urgent, Q3  budget ,urgent,, ")).toEqual(["urgent", "q3 budget"]);
  });
});

describe("the server's order", () => {
  it("sorts by due date with undated tasks last ascending, first descending, ties by creation", () => {
    const a = task({ due_at: "2026-05-03T10:00:00.000Z" });
    const b = task({ due_at: null });
    const c = task({ due_at: "2026-05-02T10:00:00.000Z" });
    const d = task({ due_at: "2026-05-02T10:00:00.000Z" });
    const asc = [a, b, c, d].sort((x, y) => compareTasks(x, y, { sort: "due", order: "asc" }));
    expect(asc.map((t) => t.id)).toEqual([c.id, d.id, a.id, b.id]);
    const desc = [a, b, c, d].sort((x, y) => compareTasks(x, y, { sort: "due", order: "desc" }));
    expect(desc.map((t) => t.id)).toEqual([b.id, a.id, d.id, c.id]);
  });

  it("sorts by priority rank (low < medium < high < urgent)", () => {
    const list = [task({ priority: "urgent" }), task({ priority: "low" }), task({ priority: "high" })];
    expect(list.sort((x, y) => compareTasks(x, y, { sort: "priority", order: "desc" })).map((t) => t.priority)).toEqual(["urgent", "high", "low"]);
  });

  it("puts a task where the sort puts it, not at the top", () => {
    const list = [task({ due_at: "2026-05-01T10:00:00.000Z" }), task({ due_at: "2026-05-05T10:00:00.000Z" })];
    const added = task({ due_at: "2026-05-03T10:00:00.000Z" });
    expect(insertionIndex(list, added, { sort: "due", order: "asc" })).toBe(1);
    // Creation order: a new task (a later id) goes last, as it will after a reload.
    expect(insertionIndex(list, task(), { sort: "created", order: "asc" })).toBe(2);
    expect(insertionIndex(list, task(), { sort: "created", order: "desc" })).toBe(0);
  });

  it("orders a column by position, a task without one last", () => {
    const column = [task({ position: "a1" }), task({ position: "a3" })];
    expect(insertionIndex(column, task({ position: "a2" }), { sort: "position", order: "asc" })).toBe(1);
    expect(insertionIndex(column, task({ position: null }), { sort: "position", order: "asc" })).toBe(2);
  });
});

describe("board moves", () => {
  const column = [task({ position: "a1" }), task({ position: "a5" }), task({ position: "a9" })];

  it("names the neighbours of a drop among the other tasks of the column", () => {
    const [first, second, third] = column as [ReturnType<typeof task>, ReturnType<typeof task>, ReturnType<typeof task>];
    expect(neighboursAt(column, 0, "x")).toEqual({ after: null, before: first });
    expect(neighboursAt(column, 3, "x")).toEqual({ after: third, before: null });
    // The first task moved below the second: its own place does not count.
    expect(neighboursAt(column, 1, first.id)).toEqual({ after: second, before: third });
    expect(neighboursAt([], 0, "x")).toEqual({ after: null, before: null });
  });

  it("gives an optimistic move a position between its neighbours, whatever the keys look like", () => {
    for (const [after, before] of [["a1", "a5"], ["a1", "a1V"], ["Zz", "a"], ["0", "00"]] as const) {
      const p = provisionalPosition(after);
      expect(p > after && p < before, `${after} < ${JSON.stringify(p)} < ${before}`).toBe(true);
    }
    expect(provisionalPosition(null) < "0").toBe(true); // the top of a column
  });

  it("marks tasks the server has not answered for yet, sorting after real ids", () => {
    const id = temporaryId("p");
    expect(isTemporary(id)).toBe(true);
    expect(isTemporary(task().id)).toBe(false);
    expect(id > task().id).toBe(true);
  });
});
