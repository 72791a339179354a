"use client";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { Bell, CheckCheck } from "lucide-react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { cx } from "@/components/ui/cx";
import { EmptyState, ErrorMessage, Skeleton, Spinner } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { AppNotification } from "@/lib/api/types";
import { dayHeading, dayKey, formatDateTime } from "@/lib/dates";
import { keys } from "@/lib/query/keys";
import { NOTIFICATIONS_PATH, useTimeZone } from "@/lib/queries";
import { useApi, useFeature } from "@/lib/session";

function target(note: AppNotification): string | null {
  if (note.task_id) return `/tasks/${note.task_id}`;
  if (note.project_id) return `/projects/${note.project_id}`;
  return null;
}

function NotificationList() {
  const api = useApi();
  const client = useQueryClient();
  const timeZone = useTimeZone();
  const [error, setError] = useState<string | null>(null);
  const query = useInfiniteQuery({
    queryKey: keys.notifications,
    queryFn: ({ pageParam }) => api.notifications(false, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const unread = query.data?.pages[0]?.unread ?? 0;
  const groups = useMemo(() => {
    const out = new Map<string, AppNotification[]>();
    for (const note of items) {
      const key = dayKey(note.created_at, timeZone);
      out.set(key, [...(out.get(key) ?? []), note]);
    }
    return [...out.values()];
  }, [items, timeZone]);
  const refresh = () => void client.invalidateQueries({ queryKey: keys.notifications });
  const markAll = async () => {
    try {
      await api.markAllRead();
      setError(null);
      refresh();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  const markOne = (note: AppNotification) => {
    if (note.read_at) return;
    void api.markRead(note.id).then(refresh, (caught: unknown) => setError(errorMessage(caught)));
  };
  if (query.isPending) return <Skeleton rows={4} label="Loading notifications" />;
  if (query.error) return <ErrorMessage error={errorMessage(query.error)} />;
  return (
    <>
      <div className="mb-4 flex items-center justify-between gap-2">
        <p className="text-muted">{unread ? `${unread} unread` : "All read"}</p>
        <Button size="sm" onClick={() => void markAll()} disabled={unread === 0}>
          <CheckCheck className="size-4" aria-hidden="true" /> Mark all as read
        </Button>
      </div>
      <ErrorMessage error={error} className="mb-3" />
      {items.length === 0 ? (
        <EmptyState icon={<Bell className="size-8" />} title="No notifications">
          You hear here when someone assigns you a task, comments on yours, shares a project with you, or a task falls due.
        </EmptyState>
      ) : null}
      {groups.map((group) => {
        const first = group[0];
        if (!first) return null;
        const heading = dayHeading(first.created_at, timeZone);
        return (
          <section key={heading} aria-label={heading} className="mb-5">
            <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">{heading}</h2>
            <ul className="divide-y divide-line rounded-xl border border-line">
              {group.map((note) => {
                const href = target(note);
                return (
                  <li key={note.id} data-testid="notification" className={cx("flex gap-3 p-3", !note.read_at && "bg-accent-soft/40")}>
                    <span className={cx("mt-1.5 size-2 shrink-0 rounded-full", note.read_at ? "bg-transparent" : "bg-accent")} aria-hidden="true" />
                    <div className="min-w-0 flex-1">
                      <p className={cx(!note.read_at && "font-semibold")}>
                        {href ? (
                          <Link href={href} onClick={() => markOne(note)} className="hover:underline">
                            {note.title}
                          </Link>
                        ) : (
                          note.title
                        )}
                        {note.read_at ? null : <span className="sr-only"> (unread)</span>}
                      </p>
                      {note.body ? <p className="text-muted">{note.body}</p> : null}
                      <time dateTime={note.created_at} className="text-xs text-muted">
                        {formatDateTime(note.created_at, timeZone)}
                      </time>
                    </div>
                    {note.read_at ? null : (
                      <Button size="sm" variant="ghost" onClick={() => markOne(note)} aria-label={`Mark “${note.title}” as read`}>
                        Mark read
                      </Button>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
      {query.hasNextPage ? (
        <Button variant="ghost" size="sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? <Spinner label="Loading more" /> : null} Older notifications
        </Button>
      ) : null}
    </>
  );
}

export default function NotificationsPage() {
  const available = useFeature(NOTIFICATIONS_PATH);
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle title="Notifications" />
      <h1 className="mb-3 text-xl font-semibold">Notifications</h1>
      {available === false ? <ErrorMessage error="Notifications are not available on this server yet." /> : available ? <NotificationList /> : <Skeleton rows={3} label="Loading" />}
    </div>
  );
}
