import { describe, expect, it } from "vitest";
import { wantsMore } from "@/lib/tasks/queries";
import { readViewState, writeViewState } from "@/lib/view-state";

describe("view state in the URL", () => {
  it("leaves defaults out, so a plain project URL stays plain", () => {
    const state = readViewState(new URLSearchParams(""), null);
    expect(state).toMatchObject({ view: "list", group: "status", sort: "board", showDone: true, task: null });
    expect(writeViewState(state)).toBe("");
  });

  it("round-trips filters, sort, view and the open task", () => {
    const query = "?view=calendar&group=due&sort=due&order=desc&priority=high&label=ops&due=week&done=hide&month=2026-12&task=p-1";
    const state = readViewState(new URLSearchParams(query), null);
    expect(state).toEqual({ view: "calendar", group: "due", sort: "due", order: "desc", priority: "high", label: "ops", due: "week", showDone: false, month: "2026-12", task: "p-1" });
    expect(writeViewState(state)).toBe(query);
  });

  it("ignores values it does not know and uses the view remembered for the project", () => {
    expect(readViewState(new URLSearchParams("?view=gantt&sort=x&priority=max"), "board")).toMatchObject({ view: "board", sort: "board", priority: null });
  });
});

describe("fill the page", () => {
  it("asks for more while fewer are shown than wanted, more exist and nothing is on its way", () => {
    expect(wantsMore(0, 50, true, false)).toBe(true); // a filtered page came back empty
    expect(wantsMore(12, 50, true, false)).toBe(true);
    expect(wantsMore(50, 50, true, false)).toBe(false);
    expect(wantsMore(12, 50, false, false)).toBe(false); // the data ended
    expect(wantsMore(12, 50, true, true)).toBe(false); // one request at a time
  });
});
