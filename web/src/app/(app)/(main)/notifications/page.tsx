"use client";
import Link from "next/link";
import { FeatureGate } from "@/components/FeatureNotice";
import { notificationsChanged } from "@/components/NotificationBell";
import { ErrorMessage, Skeleton } from "@/components/Status";
import { useAction, useLoad } from "@/lib/hooks";
import { useTimeZone } from "@/lib/profile";
import { useApi } from "@/lib/session";
import { formatDateTime } from "@/lib/time";
import type { AppNotification } from "@/lib/types";

function NotificationList() {
  const api = useApi();
  const timeZone = useTimeZone();
  const page = useLoad(() => api.notifications(), "notifications");
  const markAll = useAction(async () => {
    await api.markAllRead();
    const now = new Date().toISOString();
    page.setData((p) => p && { ...p, unread: 0, items: p.items.map((n) => ({ ...n, read_at: n.read_at ?? now })) });
    notificationsChanged();
  });
  const markOne = useAction(async (note: AppNotification) => {
    await api.markRead(note.id);
    const now = new Date().toISOString();
    page.setData(
      (p) => p && { ...p, unread: Math.max(0, p.unread - 1), items: p.items.map((n) => (n.id === note.id ? { ...n, read_at: now } : n)) },
    );
    notificationsChanged();
  });
  if (page.loading && !page.data) return <Skeleton rows={3} label="Loading notifications" />;
  if (!page.data) return <ErrorMessage error={page.error} />;
  return (
    <>
      <ErrorMessage error={markAll.error ?? markOne.error} />
      <p>
        {page.data.unread} unread{" "}
        <button type="button" onClick={() => markAll.run()} disabled={markAll.pending || page.data.unread === 0}>
          Mark all as read
        </button>
      </p>
      {page.data.items.length === 0 ? <p>No notifications.</p> : null}
      <ul className="stack" aria-label="Notifications">
        {page.data.items.map((note) => (
          <li key={note.id} className={note.read_at ? "" : "unread"} data-testid="notification">
            <div>
              {note.task_id ? <Link href={`/tasks/${note.task_id}`}>{note.title}</Link> : note.title}{" "}
              <span className="hint">{formatDateTime(note.created_at, timeZone)}</span>
            </div>
            {note.body ? <p style={{ margin: ".2rem 0" }}>{note.body}</p> : null}
            {note.read_at ? null : (
              <button type="button" onClick={() => markOne.run(note)} aria-label={`Mark “${note.title}” as read`}>
                Mark as read
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

export default function NotificationsPage() {
  return (
    <>
      <h1>Notifications</h1>
      <FeatureGate path="/notifications" name="Notifications">
        <NotificationList />
      </FeatureGate>
    </>
  );
}
