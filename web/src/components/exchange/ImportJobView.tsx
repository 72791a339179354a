"use client";
// A started import, polled with back-off until it is done: its progress, then its report
// and links to the projects it wrote to.
import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect } from "react";
import { ErrorMessage, Spinner } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import { useImportJob } from "@/lib/exchange/queries";
import { isActive } from "@/lib/exchange/polling";
import { keys } from "@/lib/query/keys";
import { projectHref, useProjects, useTimeZone } from "@/lib/queries";
import { ImportReportView } from "./ImportReportView";

export function ImportJobView({ id }: { id: string }) {
  const client = useQueryClient();
  const job = useImportJob(id);
  const projects = useProjects();
  const timeZone = useTimeZone();
  const status = job.data?.status;
  useEffect(() => {
    // New projects and tasks: the sidebar and lists learn of them once it ends.
    if (status === "done") {
      void client.invalidateQueries({ queryKey: keys.projects });
      void client.invalidateQueries({ queryKey: keys.allTasks });
    }
  }, [status, client]);
  if (job.isPending) return <Spinner label="Loading the import" />;
  if (job.error) return <ErrorMessage error={errorMessage(job.error)} />;
  const data = job.data;
  const written = (data.report?.project_ids ?? []).map((pid) => projects.data?.find((p) => p.id === pid)).filter((p) => p !== undefined);
  return (
    <section aria-label={`Import of ${data.file_name}`} className="space-y-3" data-testid="import-job" data-status={data.status}>
      <h2 className="font-semibold">Import of {data.file_name}</h2>
      {isActive(data.status) ? (
        <p aria-live="polite" className="flex items-center gap-2 text-muted">
          <Spinner label="Importing" />
          {data.status === "queued"
            ? "Waiting for its turn…"
            : `${data.progress.tasks.toLocaleString()} tasks created, ${data.progress.skipped.toLocaleString()} already there, ${data.progress.rows.toLocaleString()} rows read…`}
        </p>
      ) : null}
      {data.status === "awaiting_upload" ? <ErrorMessage error="This import's file never arrived: start a new import." /> : null}
      {data.status === "failed" ? <ErrorMessage error={`The import failed${data.error ? `: ${data.error}` : "."} What was written is kept; running the same file again creates nothing twice.`} /> : null}
      {data.status === "done" ? (
        <p aria-live="polite" className="text-ok">
          Done.
        </p>
      ) : null}
      {data.report ? <ImportReportView report={data.report} dryRun={false} timeZone={timeZone} /> : null}
      {written.length > 0 ? (
        <p>
          Open{" "}
          {written.map((project, index) => (
            <span key={project.id}>
              {index > 0 ? ", " : ""}
              <Link href={projectHref(project)} className="font-medium text-accent hover:underline">
                {project.is_inbox ? "your Inbox" : project.name}
              </Link>
            </span>
          ))}
          .
        </p>
      ) : null}
    </section>
  );
}
