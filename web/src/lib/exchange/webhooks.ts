// The events a webhook can subscribe to, grouped and in words, and how a choice is sent:
// every event is `events: null` (so events added later reach it too), never the full list.
import type { SubscribableEvent } from "@/lib/api/types";

export const EVENT_GROUPS: readonly { name: string; events: readonly { event: SubscribableEvent; label: string }[] }[] = [
  {
    name: "Tasks",
    events: [
      { event: "task.created", label: "created" },
      { event: "task.updated", label: "changed" },
      { event: "task.completed", label: "completed" },
      { event: "task.deleted", label: "deleted" },
    ],
  },
  {
    name: "Comments",
    events: [
      { event: "comment.created", label: "added" },
      { event: "comment.updated", label: "edited" },
      { event: "comment.deleted", label: "deleted" },
    ],
  },
  {
    name: "Attachments",
    events: [
      { event: "attachment.added", label: "added" },
      { event: "attachment.deleted", label: "deleted" },
    ],
  },
  {
    name: "Members",
    events: [
      { event: "member.added", label: "joined" },
      { event: "member.updated", label: "role changed" },
      { event: "member.removed", label: "removed or left" },
    ],
  },
  {
    name: "Project",
    events: [
      { event: "project.updated", label: "changed" },
      { event: "project.deleted", label: "deleted" },
    ],
  },
];

export const ALL_EVENTS: readonly SubscribableEvent[] = EVENT_GROUPS.flatMap((g) => g.events.map((e) => e.event));

/** The `events` to send: null for every event; otherwise the chosen ones in a stable order.
 * An empty choice is a mistake the form reports (see `eventsProblem`), not "all". */
export function eventsBody(all: boolean, chosen: ReadonlySet<SubscribableEvent>): SubscribableEvent[] | null {
  return all ? null : ALL_EVENTS.filter((e) => chosen.has(e));
}

export function eventsProblem(all: boolean, chosen: ReadonlySet<SubscribableEvent>): string | null {
  return !all && chosen.size === 0 ? "Choose at least one event, or every event." : null;
}

/** "Every event", or "task.created, task.completed" — what the list shows. */
export function eventsSummary(events: readonly string[] | null): string {
  if (events === null) return "Every event";
  return events.length <= 3 ? events.join(", ") : `${events.slice(0, 3).join(", ")} and ${events.length - 3} more`;
}

/** Why a webhook's URL would be refused before it is sent: only https (the API's rule; it
 * also refuses hosts that resolve to private addresses, which only the server can check).
 * `allowHttpLoopback`: the local runtime takes http://localhost receivers. */
export function urlProblem(value: string, allowHttpLoopback = false): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return "Enter a full URL, such as https://example.com/hooks/tasklane.";
  }
  if (url.username || url.password) return "The URL must not contain a user name or password.";
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname) || url.hostname.endsWith(".localhost");
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && allowHttpLoopback && loopback) return null;
  return "The URL must start with https://.";
}
