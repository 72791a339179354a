"use client";
// One export: its scope, where it stands (polled with back-off while it runs), then what it
// holds and a Download button. The link the API hands out lives 5 minutes, so Download asks
// for a fresh one each time instead of keeping an old URL in the page.
import { useQueryClient } from "@tanstack/react-query";
import { Download, FileArchive } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/Button";
import { cx } from "@/components/ui/cx";
import { ErrorMessage, Spinner } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { Export, Project } from "@/lib/api/types";
import { formatDateTime, formatSize, relativeDateTime } from "@/lib/dates";
import { useExport } from "@/lib/exchange/queries";
import { keys } from "@/lib/query/keys";
import { useProjects, useTimeZone } from "@/lib/queries";
import { useApi } from "@/lib/session";

const STATUS_WORDS: Record<Export["status"], string> = {
  queued: "Waiting to start",
  running: "Exporting",
  ready: "Ready",
  failed: "Failed",
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** "Everything you can read" or "Project Apollo": what the export holds. */
export function exportScope(job: Pick<Export, "project_id">, projects: Project[] | undefined): string {
  if (job.project_id === null) return "Everything you can read";
  const project = projects?.find((p) => p.id === job.project_id);
  return project ? (project.is_inbox ? "Your Inbox" : `Project ${project.name}`) : "A project";
}

export function ExportCard({ initial, id }: { initial?: Export; id: string }) {
  const api = useApi();
  const client = useQueryClient();
  const query = useExport(id, initial);
  const projects = useProjects();
  const timeZone = useTimeZone();
  const [problem, setProblem] = useState<string | null>(null);
  const [fetching, setFetching] = useState(false);
  const job = query.data;
  if (!job) return query.error ? <ErrorMessage error={errorMessage(query.error)} /> : <Spinner label="Loading the export" />;
  const scope = exportScope(job, projects.data);
  const download = async () => {
    setFetching(true);
    try {
      const fresh = await api.getExport(job.id);
      client.setQueryData(keys.export(job.id), fresh);
      if (!fresh.download) throw new Error("This export has no file any more: start a new one.");
      setProblem(null);
      window.location.assign(fresh.download.url);
    } catch (caught) {
      setProblem(errorMessage(caught));
    } finally {
      setFetching(false);
    }
  };
  const active = job.status === "queued" || job.status === "running";
  return (
    <article aria-label={`Export: ${scope}`} data-testid="export" data-status={job.status} className="space-y-2 rounded-xl border border-line p-4">
      <div className="flex flex-wrap items-start gap-3">
        <FileArchive className="mt-0.5 size-5 text-muted" aria-hidden="true" />
        <div className="min-w-40 flex-1">
          <p className="font-medium">{scope}</p>
          <p className="text-xs text-muted">Started {relativeDateTime(job.created_at, timeZone)}</p>
        </div>
        <span
          className={cx(
            "rounded-full px-2 py-0.5 text-xs font-medium",
            job.status === "ready" ? "bg-accent-soft text-fg" : job.status === "failed" ? "bg-danger-soft text-danger" : "bg-subtle text-muted",
          )}
        >
          {STATUS_WORDS[job.status]}
        </span>
      </div>
      {active ? (
        <p aria-live="polite" className="flex items-center gap-2 text-muted" data-testid="export-progress">
          <Spinner label="Exporting" />
          {job.status === "queued" ? "Waiting for its turn…" : `${plural(job.progress.tasks, "task")} and ${plural(job.progress.files, "file")} so far…`}
          <span className="text-xs">You can leave this page: a notification says when it is ready.</span>
        </p>
      ) : null}
      {job.status === "ready" && job.summary ? (
        <div className="space-y-2">
          <p aria-live="polite" data-testid="export-summary">
            {plural(job.summary.tasks, "task")} and {plural(job.summary.files, "file")} from {plural(job.summary.projects, "project")}, {formatSize(job.summary.size)} zipped.
          </p>
          {job.summary.missing_files > 0 ? (
            <p className="text-muted">{plural(job.summary.missing_files, "file")} disappeared while the export ran: see missing-files.txt in the ZIP.</p>
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <Button variant="primary" onClick={() => void download()} disabled={fetching}>
              {fetching ? <Spinner label="Preparing the download" /> : <Download className="size-4" aria-hidden="true" />}
              Download ZIP
            </Button>
            <span className="text-xs text-muted">Kept until {formatDateTime(job.expires_at, timeZone)}.</span>
          </div>
        </div>
      ) : null}
      {job.status === "failed" ? <ErrorMessage error={`The export failed${job.error ? `: ${job.error}` : "."} Start it again; if it fails again, tell us.`} /> : null}
      <ErrorMessage error={problem} />
    </article>
  );
}
