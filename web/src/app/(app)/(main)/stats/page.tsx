"use client";
import { ErrorMessage, Skeleton } from "@/components/Status";
import { useLoad } from "@/lib/hooks";
import { useApi } from "@/lib/session";
import { PRIORITY_LABELS, STATUS_LABELS } from "@/lib/tasks";
import { formatDateTime } from "@/lib/time";
import { PRIORITIES, STATUSES, type Counts } from "@/lib/types";

const COLUMNS: [string, (c: Counts) => number][] = [
  ["Total", (c) => c.total],
  ...STATUSES.map((s): [string, (c: Counts) => number] => [STATUS_LABELS[s], (c) => c.by_status[s]]),
  ...PRIORITIES.map((p): [string, (c: Counts) => number] => [PRIORITY_LABELS[p], (c) => c.by_priority[p]]),
  ["Overdue", (c) => c.overdue],
  ["Due today", (c) => c.due_today],
  ["Due this week", (c) => c.due_this_week],
];

export default function StatsPage() {
  const api = useApi();
  const stats = useLoad(() => api.stats(), "stats");
  return (
    <>
      <h1>Stats</h1>
      {stats.loading && !stats.data ? <Skeleton rows={4} label="Counting" /> : null}
      <ErrorMessage error={stats.error} />
      {stats.data ? (
        <>
          <p className="hint">
            As of {formatDateTime(stats.data.as_of, stats.data.time_zone)} ({stats.data.time_zone})
          </p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Task counts">
            <table>
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  {COLUMNS.map(([name]) => (
                    <th key={name} scope="col">
                      {name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[...stats.data.projects.map((p) => [p.name, p.counts, p.project_id] as const), ["All projects", stats.data.total, "total"] as const].map(
                  ([name, counts, key]) => (
                    <tr key={key}>
                      <th scope="row">{name}</th>
                      {COLUMNS.map(([column, value]) => (
                        <td key={column}>{value(counts)}</td>
                      ))}
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
