"use client";
// Stats as small SVG charts (loaded with the stats page only). Bars are drawn with SVG
// attributes — no chart library: three bar charts do not earn ~100 KiB. Each chart has its
// numbers in words for screen readers, and a table below.
import { PRIORITY_LABELS, STATUS_LABELS } from "@/components/tasks/TaskMeta";
import { PRIORITIES, STATUSES, type Stats } from "@/lib/api/types";
import { tally } from "@/lib/counts";

const STATUS_FILL = { todo: "var(--tl-muted)", in_progress: "var(--tl-accent)", done: "var(--tl-ok)" } as const;
const PRIORITY_FILL = { low: "var(--tl-line-strong)", medium: "var(--tl-muted)", high: "var(--tl-warn)", urgent: "var(--tl-danger)" } as const;

function Legend({ items }: { items: [string, string][] }) {
  return (
    <ul className="flex flex-wrap gap-3 text-xs text-muted" aria-hidden="true">
      {items.map(([label, fill]) => (
        <li key={label} className="inline-flex items-center gap-1.5">
          <svg className="size-2.5" viewBox="0 0 10 10">
            <rect width="10" height="10" rx="2" fill={fill} />
          </svg>
          {label}
        </li>
      ))}
    </ul>
  );
}

/** One stacked bar per project: to do, in progress, done. */
export function ProjectBars({ stats }: { stats: Stats }) {
  const projects = stats.projects.map((p) => ({ ...p, counts: tally(p.counts) }));
  const max = Math.max(1, ...projects.map((p) => p.counts.total));
  return (
    <div className="space-y-3">
      <Legend items={STATUSES.map((s) => [STATUS_LABELS[s], STATUS_FILL[s]])} />
      <ul className="space-y-2.5">
        {projects.map((p) => {
          let x = 0;
          const words = STATUSES.map((s) => `${p.counts.by_status[s]} ${STATUS_LABELS[s].toLowerCase()}`).join(", ");
          return (
            <li key={p.project_id}>
              <div className="mb-1 flex justify-between gap-2 text-sm">
                <span className="min-w-0 truncate">{p.name}</span>
                <span className="shrink-0 tabular-nums text-muted">{p.counts.total}</span>
              </div>
              <svg role="img" aria-label={`${p.name}: ${words}`} className="h-2.5 w-full overflow-hidden rounded-full bg-subtle" preserveAspectRatio="none" viewBox={`0 0 ${max} 1`}>
                {STATUSES.map((s) => {
                  const width = p.counts.by_status[s];
                  const rect = <rect key={s} x={x} y={0} width={width} height={1} fill={STATUS_FILL[s]} />;
                  x += width;
                  return rect;
                })}
              </svg>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Every task by priority. */
export function PriorityBars({ stats }: { stats: Stats }) {
  const total = tally(stats.total);
  const max = Math.max(1, ...PRIORITIES.map((p) => total.by_priority[p]));
  return (
    <ul className="space-y-2">
      {[...PRIORITIES].reverse().map((p) => {
        const n = total.by_priority[p];
        return (
          <li key={p} className="grid grid-cols-[4.5rem_1fr_2.5rem] items-center gap-2 text-sm">
            <span>{PRIORITY_LABELS[p]}</span>
            <svg role="img" aria-label={`${PRIORITY_LABELS[p]}: ${n}`} className="h-2.5 w-full rounded-full bg-subtle" preserveAspectRatio="none" viewBox={`0 0 ${max} 1`}>
              <rect x={0} y={0} width={n} height={1} fill={PRIORITY_FILL[p]} />
            </svg>
            <span className="text-right tabular-nums text-muted">{n}</span>
          </li>
        );
      })}
    </ul>
  );
}
