"use client";
// The header's link to the notifications, with the number of unread ones.
import Link from "next/link";
import { useEffect, useState } from "react";
import { useApi, useFeature } from "@/lib/session";

const POLL_MS = 30_000;

export function NotificationBell() {
  const api = useApi();
  const available = useFeature("/notifications");
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    if (!available) return;
    let live = true;
    const poll = () =>
      api.notifications(true).then(
        (page) => live && setUnread(page.unread),
        () => live && setUnread(null),
      );
    poll();
    const timer = setInterval(poll, POLL_MS);
    window.addEventListener("tasklane:notifications", poll);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener("tasklane:notifications", poll);
    };
  }, [api, available]);
  const label = unread ? `Notifications (${unread} unread)` : "Notifications";
  return (
    <Link href="/notifications" className="bell" aria-label={label}>
      Notifications
      {unread ? (
        <span className="count" aria-hidden="true" data-testid="unread-count">
          {unread}
        </span>
      ) : null}
    </Link>
  );
}

/** Tells the bell to count again (after marking notifications read). */
export function notificationsChanged(): void {
  window.dispatchEvent(new Event("tasklane:notifications"));
}
