"use client";
// Settings → Calendar feed: your open tasks' due dates in Google Calendar, Outlook or Apple
// Calendar. The URL is the secret (calendar programs cannot log in), so it can be copied,
// replaced and revoked here. GET /me/calendar makes one on first ask: a revoked feed stays
// revoked until the user asks for a new one.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { CalendarOff } from "lucide-react";
import { useState } from "react";
import { ConfirmButton } from "@/components/ConfirmButton";
import { CopyField } from "@/components/exchange/CopyField";
import { SettingsNav } from "@/components/settings/SettingsNav";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { EmptyState, ErrorMessage, Skeleton, Spinner } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { CalendarFeed } from "@/lib/api/types";
import { formatDateTime } from "@/lib/dates";
import { CALENDAR_PATH } from "@/lib/exchange/queries";
import { keys } from "@/lib/query/keys";
import { useTimeZone } from "@/lib/queries";
import { useApi, useFeature } from "@/lib/session";

function Feed() {
  const api = useApi();
  const client = useQueryClient();
  const timeZone = useTimeZone();
  // `null`: revoked on this page; nothing is asked again until the user wants a new URL.
  const feed = useQuery<CalendarFeed | null>({ queryKey: keys.calendar, queryFn: () => api.calendarFeed(), staleTime: Infinity });
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const act = async (action: () => Promise<CalendarFeed | null>, message: string) => {
    setPending(true);
    try {
      client.setQueryData(keys.calendar, await action());
      setProblem(null);
      setDone(message);
    } catch (caught) {
      setProblem(errorMessage(caught));
      setDone(null);
    } finally {
      setPending(false);
    }
  };
  if (feed.isPending) return <Skeleton rows={2} label="Loading your calendar feed" />;
  if (feed.error) return <ErrorMessage error={errorMessage(feed.error)} />;
  return (
    <div className="space-y-5">
      {feed.data ? (
        <section aria-label="Your feed" className="space-y-3 rounded-xl border border-line p-4">
          <CopyField
            label="Feed URL"
            value={feed.data.url}
            hint={`Made ${formatDateTime(feed.data.created_at, timeZone)}. Anyone with this URL can see your open tasks' titles and due dates: keep it to yourself.`}
          />
          <div className="flex flex-wrap items-center gap-2">
            <ConfirmButton
              label="Regenerate URL"
              confirmLabel="Regenerate"
              question="Replace the URL? Calendars using the old one stop updating."
              onConfirm={() => act(() => api.regenerateCalendarFeed(), "A new URL is ready: the old one no longer works.")}
            />
            <ConfirmButton
              label="Revoke URL"
              confirmLabel="Revoke"
              question="Revoke the URL? Calendars using it stop updating."
              onConfirm={() => act(() => api.revokeCalendarFeed().then(() => null), "Revoked: the URL no longer works.")}
            />
          </div>
        </section>
      ) : (
        <EmptyState icon={<CalendarOff className="size-6" />} title="No feed URL">
          <p className="mb-3">Your feed is switched off: no URL shows your tasks.</p>
          <Button variant="primary" onClick={() => void act(() => api.calendarFeed(), "A new URL is ready.")} disabled={pending}>
            {pending ? <Spinner label="Making a URL" /> : null} Make a new URL
          </Button>
        </EmptyState>
      )}
      <ErrorMessage error={problem} />
      {done ? (
        <p role="status" className="text-ok">
          {done}
        </p>
      ) : null}
      <section aria-labelledby="calendar-how" className="space-y-2">
        <h2 id="calendar-how" className="font-semibold">
          Add it to your calendar
        </h2>
        <p className="text-muted">Every open task with a due date in your projects appears at its due time, in your time zone ({timeZone}), with a link back to the task; changes follow when your calendar next refreshes the feed (Google Calendar: every few hours).</p>
        <ul className="list-disc space-y-1 pl-5 text-muted">
          <li>
            <span className="text-fg">Google Calendar</span>: Other calendars → + → From URL, paste the URL, Add calendar.
          </li>
          <li>
            <span className="text-fg">Outlook</span>: Add calendar → Subscribe from web, paste the URL, Import.
          </li>
          <li>
            <span className="text-fg">Apple Calendar</span>: File → New Calendar Subscription, paste the URL.
          </li>
        </ul>
      </section>
    </div>
  );
}

export default function CalendarSettingsPage() {
  const available = useFeature(CALENDAR_PATH);
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle title="Calendar feed" />
      <SettingsNav />
      <h1 className="mb-4 text-xl font-semibold">Calendar feed</h1>
      {available === false ? <ErrorMessage error="The calendar feed is not available on this server yet." /> : <Feed />}
    </div>
  );
}
