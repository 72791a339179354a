"use client";
import dynamic from "next/dynamic";
import Link from "next/link";
import type { ReactNode } from "react";
import { PageTitle } from "@/components/ui/PageTitle";
import { cx } from "@/components/ui/cx";
import { ErrorMessage, Skeleton } from "@/components/ui/Status";
import { STATUS_LABELS } from "@/components/tasks/TaskMeta";
import { errorMessage } from "@/lib/api/errors";
import { STATUSES } from "@/lib/api/types";
import { formatDateTime } from "@/lib/dates";
import { tally } from "@/lib/counts";
import { useStats } from "@/lib/queries";

// The charts load with this page only.
const ProjectBars = dynamic(() => import("@/components/stats/Charts").then((m) => m.ProjectBars), { ssr: false, loading: () => <Skeleton rows={3} label="Drawing" /> });
const PriorityBars = dynamic(() => import("@/components/stats/Charts").then((m) => m.PriorityBars), { ssr: false, loading: () => <Skeleton rows={2} label="Drawing" /> });

function Card({ label, value, tone, href }: { label: string; value: number; tone?: "danger" | "warn"; href?: string }) {
  const body = (
    <>
      <span className="block text-xs font-medium uppercase tracking-wide text-muted">{label}</span>
      <span className={cx("mt-1 block text-2xl font-semibold tabular-nums", tone === "danger" && value > 0 && "text-danger", tone === "warn" && value > 0 && "text-warn")}>{value}</span>
    </>
  );
  return <li className="rounded-xl border border-line bg-surface p-3">{href ? <Link href={href} className="block">{body}</Link> : body}</li>;
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="min-w-0 rounded-xl border border-line p-4">
      <h2 className="mb-3 font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export default function StatsPage() {
  const stats = useStats();
  const data = stats.data;
  const total = tally(data?.total);
  return (
    <div className="mx-auto max-w-5xl">
      <PageTitle title="Stats" />
      <h1 className="text-xl font-semibold">Stats</h1>
      {data ? (
        <p className="mb-4 text-muted">
          Across {data.projects.length} {data.projects.length === 1 ? "project" : "projects"}, as of {formatDateTime(data.as_of, data.time_zone)} ({data.time_zone}).
        </p>
      ) : null}
      {stats.isPending ? <Skeleton rows={4} label="Counting" /> : null}
      <ErrorMessage error={stats.error ? errorMessage(stats.error) : null} />
      {data ? (
        <div className="space-y-4">
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" aria-label="Totals">
            <Card label="Open" value={total.by_status.todo + total.by_status.in_progress} />
            <Card label="Overdue" value={total.overdue} tone="danger" />
            <Card label="Due today" value={total.due_today} tone="warn" />
            <Card label="Due this week" value={total.due_this_week} />
            <Card label="Done" value={total.by_status.done} />
          </ul>
          <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
            <Panel title="Tasks by project">
              <ProjectBars stats={data} />
            </Panel>
            <Panel title="Tasks by priority">
              <PriorityBars stats={data} />
            </Panel>
          </div>
          <Panel title="The numbers">
            <ul className="divide-y divide-line" aria-label="Counts per project">
              {[...data.projects.map((p) => [p.project_id, p.name, tally(p.counts)] as const), ["total", "All projects", total] as const].map(([key, name, counts]) => (
                <li key={key} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2" data-testid="stats-row">
                  <span className="font-medium">{name}</span>
                  <span className="flex flex-wrap gap-x-3 text-xs text-muted">
                    {STATUSES.map((s) => (
                      <span key={s}>
                        {STATUS_LABELS[s]} <b className="tabular-nums text-fg">{counts.by_status[s]}</b>
                      </span>
                    ))}
                    <span>
                      Overdue <b className="tabular-nums text-fg">{counts.overdue}</b>
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          </Panel>
        </div>
      ) : null}
    </div>
  );
}
