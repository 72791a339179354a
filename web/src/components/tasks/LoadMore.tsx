"use client";
// More of a list as its end scrolls into view (and a button for those who get there by
// keyboard or would rather click).
import { useEffect, useRef } from "react";
import { Spinner } from "@/components/ui/Status";
import type { FilledList } from "@/lib/tasks/queries";

export function LoadMore({ list, what = "tasks" }: { list: Pick<FilledList, "hasMore" | "fetchingMore" | "loadMore">; what?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const { hasMore, fetchingMore, loadMore } = list;
  useEffect(() => {
    const node = ref.current;
    if (!node || !hasMore) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && !fetchingMore && loadMore(), { rootMargin: "200px" });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasMore, fetchingMore, loadMore]);
  if (!hasMore) return null;
  return (
    <div ref={ref} className="flex justify-center py-2">
      <button type="button" onClick={loadMore} disabled={fetchingMore} className="rounded px-2 py-1 text-xs text-muted hover:bg-subtle hover:text-fg">
        {fetchingMore ? <Spinner label={`Loading more ${what}`} /> : `Show more ${what}`}
      </button>
    </div>
  );
}
