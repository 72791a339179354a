import * as chrono from "chrono-node/en";
import { describe, expect, it } from "vitest";
import type { Member } from "@/lib/api/types";
import { findMember, parseQuickAdd } from "@/lib/quickadd";

const BERLIN = "Europe/Berlin";
const members: Member[] = [
  { user_id: "u-ada", email: "ada@example.com", display_name: "Ada Lovelace", role: "owner", added_at: "", added_by: "u-ada" },
  { user_id: "u-bob", email: "bob@example.com", display_name: "Bob", role: "editor", added_at: "", added_by: "u-ada" },
  { user_id: "u-bea", email: "beatrice@example.com", display_name: "Beatrice Smith", role: "viewer", added_at: "", added_by: "u-ada" },
];

describe("quick add", () => {
  // Thursday 2026-05-07, 10:00 in Berlin (08:00 UTC, summer time).
  const now = Date.parse("2026-05-07T08:00:00Z");

  it("reads the whole line: title, date in the user's zone, label, priority, assignee", () => {
    const parsed = parseQuickAdd("Call Ada tomorrow 5pm #sales !high @ada", { timeZone: BERLIN, now, members, chrono });
    expect(parsed).toMatchObject({
      title: "Call Ada",
      due_at: "2026-05-08T15:00:00.000Z", // 17:00 in Berlin (UTC+2)
      dateText: "tomorrow 5pm",
      labels: ["sales"],
      priority: "high",
    });
    expect(parsed.assignee?.user_id).toBe("u-ada");
  });

  it("gets the offset of the due day, not of today, across a DST change", () => {
    // Saturday 2026-03-28 23:30 in Berlin (UTC+1); summer time starts the next night.
    const saturday = Date.parse("2026-03-28T22:30:00Z");
    expect(parseQuickAdd("Pay rent tomorrow 9am", { timeZone: BERLIN, now: saturday, chrono }).due_at).toBe("2026-03-29T07:00:00.000Z");
    expect(parseQuickAdd("Pay rent at 22:00", { timeZone: BERLIN, now: Date.parse("2026-03-28T10:00:00Z"), chrono }).due_at).toBe("2026-03-28T21:00:00.000Z");
  });

  it("puts a day without a time at 17:00, or at the end of today once 17:00 has passed", () => {
    expect(parseQuickAdd("Report friday", { timeZone: BERLIN, now, chrono }).due_at).toBe("2026-05-08T15:00:00.000Z");
    const evening = Date.parse("2026-05-07T18:00:00Z"); // 20:00 in Berlin
    expect(parseQuickAdd("Report today", { timeZone: BERLIN, now: evening, chrono }).due_at).toBe("2026-05-07T21:59:00.000Z");
  });

  it("works in other zones: 5pm is 17:00 where the user is", () => {
    expect(parseQuickAdd("Standup tomorrow 5pm", { timeZone: "America/New_York", now, chrono }).due_at).toBe("2026-05-08T21:00:00.000Z");
    expect(parseQuickAdd("Standup tomorrow 5pm", { timeZone: "UTC", now, chrono }).due_at).toBe("2026-05-08T17:00:00.000Z");
  });

  it("keeps the words when told they are not a date, and has no date before chrono loads", () => {
    expect(parseQuickAdd("Read May Sarton", { timeZone: BERLIN, now, chrono, ignoreDate: true })).toMatchObject({ title: "Read May Sarton", due_at: null });
    expect(parseQuickAdd("Call tomorrow", { timeZone: BERLIN, now, chrono: null })).toMatchObject({ title: "Call tomorrow", due_at: null });
  });

  it("takes several labels (normalised, once each) and the priority words or numbers", () => {
    expect(parseQuickAdd("Plan #Q3-Budget #ops #ops !urgent", { timeZone: BERLIN, now, chrono })).toMatchObject({ title: "Plan", labels: ["q3-budget", "ops"], priority: "urgent" });
    expect(parseQuickAdd("Plan !1", { timeZone: BERLIN, now }).priority).toBe("urgent");
    expect(parseQuickAdd("Plan !4", { timeZone: BERLIN, now }).priority).toBe("low");
    expect(parseQuickAdd("Wow!great", { timeZone: BERLIN, now })).toMatchObject({ title: "Wow!great", priority: null });
    expect(parseQuickAdd("Say hi !loud", { timeZone: BERLIN, now })).toMatchObject({ title: "Say hi !loud", priority: null });
  });

  it("leaves @words that are no member (or more than one) in the title", () => {
    expect(parseQuickAdd("Work @home", { timeZone: BERLIN, now, members })).toMatchObject({ title: "Work @home", assignee: null });
    expect(parseQuickAdd("Ask @b", { timeZone: BERLIN, now, members })).toMatchObject({ title: "Ask @b", assignee: null });
    expect(parseQuickAdd("Ask @bob", { timeZone: BERLIN, now, members }).assignee?.user_id).toBe("u-bob");
    expect(parseQuickAdd("Mail ada@example.com", { timeZone: BERLIN, now, members })).toMatchObject({ title: "Mail ada@example.com", assignee: null });
  });

  it("finds members by a display name's word or an e-mail's local part", () => {
    expect(findMember("lovelace", members)?.user_id).toBe("u-ada");
    expect(findMember("beatrice", members)?.user_id).toBe("u-bea");
    expect(findMember("be", members)?.user_id).toBe("u-bea");
    expect(findMember("zed", members)).toBeNull();
  });
});

describe("repeating", () => {
  it("reads 'every monday' as a weekly rule due the next Monday at the default hour", () => {
    const wednesday = Date.parse("2026-05-06T10:00:00Z");
    const parsed = parseQuickAdd("Team sync every monday #ops", { timeZone: "Europe/Berlin", now: wednesday, chrono });
    expect(parsed.title).toBe("Team sync");
    expect(parsed.recurrence).toBe("FREQ=WEEKLY;BYDAY=MO");
    expect(parsed.repeatText).toBe("every monday");
    expect(parsed.due_at).toBe("2026-05-11T15:00:00.000Z"); // Monday 17:00 in Berlin
    expect(parsed.labels).toEqual(["ops"]);
  });

  it("keeps a date the line names, and knows the other periods", () => {
    const now = Date.parse("2026-05-06T10:00:00Z");
    const parsed = parseQuickAdd("Rent every month tomorrow 9am", { timeZone: "Europe/Berlin", now, chrono });
    expect(parsed.recurrence).toBe("FREQ=MONTHLY");
    expect(parsed.due_at).toBe("2026-05-07T07:00:00.000Z");
    expect(parseQuickAdd("Stand-up every weekday", { timeZone: "UTC", now, chrono }).recurrence).toBe("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
    expect(parseQuickAdd("Plain task", { timeZone: "UTC", now, chrono }).recurrence).toBeNull();
  });
});
