"use client";
// A page of tasks with "Load more"; skeletons while the first page loads.
import type { Paged } from "@/lib/hooks";
import { memberName } from "@/lib/members";
import type { Member, Task } from "@/lib/types";
import { ErrorMessage, Skeleton, Spinner } from "./Status";
import { TaskItem } from "./TaskItem";

interface Props {
  paged: Paged<Task>;
  timeZone: string;
  members?: Member[] | null;
  empty: string;
}

export function TaskList({ paged, timeZone, members = null, empty }: Props) {
  const { items, loading, error, hasMore, loadMore, update } = paged;
  const replace = (task: Task) => update((list) => list.map((t) => (t.id === task.id ? task : t)));
  if (loading && items.length === 0) return <Skeleton rows={4} label="Loading tasks" />;
  return (
    <>
      <ErrorMessage error={error} />
      {items.length === 0 && !error ? <p>{hasMore ? "No matching tasks on this page yet: load more to keep looking." : empty}</p> : null}
      <ul className="tasks" aria-label="Tasks">
        {items.map((task) => (
          <TaskItem key={task.id} task={task} timeZone={timeZone} onChange={replace} assigneeName={memberName(members, task.assignee_id)} />
        ))}
      </ul>
      {hasMore ? (
        <p>
          <button type="button" onClick={loadMore} disabled={loading}>
            {loading ? <Spinner label="Loading more" /> : null} Load more
          </button>
        </p>
      ) : null}
    </>
  );
}
