"use client";
// What an import would create (its dry run) or created (once done): the counts, a preview of
// the first tasks, and every row's problem with its row number as a spreadsheet shows it.
import { cx } from "@/components/ui/cx";
import { ErrorMessage } from "@/components/ui/Status";
import { TableHead, TableScroll } from "@/components/ui/TableHead";
import type { ImportReport } from "@/lib/api/types";
import { formatDateTime } from "@/lib/dates";

const PRIORITY_WORDS = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" } as const;
const STATUS_WORDS = { todo: "To do", in_progress: "In progress", done: "Done" } as const;

function Count({ value, label }: { value: number; label: string }) {
  return (
    // The term first, as a description list needs; shown under its number.
    <div className="flex flex-col-reverse rounded-lg border border-line px-3 py-2">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{value.toLocaleString()}</dd>
    </div>
  );
}

export function ImportReportView({ report, dryRun, timeZone }: { report: ImportReport; dryRun: boolean; timeZone: string }) {
  const would = dryRun ? "would be created" : "created";
  return (
    <div className="space-y-4" data-testid={dryRun ? "dry-run-report" : "import-report"}>
      {report.rejected ? <ErrorMessage error={`${dryRun ? "The import would stop" : "The import stopped"}: ${report.rejected.message}`} /> : null}
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        <Count value={report.projects} label={`projects ${would}`} />
        <Count value={report.tasks} label={`tasks ${would}`} />
        <Count value={report.skipped} label="tasks already imported" />
        <Count value={report.labels} label="labels" />
        <Count value={report.checklist_items} label="checklist items" />
        <Count value={report.comments} label="comments" />
        <Count value={report.warnings} label="rows changed (warnings)" />
        <Count value={report.errors} label="rows left out (errors)" />
      </dl>
      {dryRun && report.preview.length > 0 ? (
        <section aria-labelledby="import-preview">
          <h3 id="import-preview" className="mb-1 font-semibold">
            The first {report.preview.length === 1 ? "task" : `${report.preview.length} tasks`}
          </h3>
          <TableScroll label="The first tasks">
            <table className="w-full text-left text-sm">
              <TableHead columns={["Title", "Project", "Status", "Priority", "Due", "Labels"]} />
              <tbody className="divide-y divide-line">
                {report.preview.map((task, index) => (
                  <tr key={index} data-testid="preview-task">
                    <td className="py-1.5 pr-3">
                      {task.title}
                      {task.archived ? <span className="text-xs text-muted"> (archived)</span> : null}
                    </td>
                    <td className="py-1.5 pr-3">{task.project}</td>
                    <td className="py-1.5 pr-3 whitespace-nowrap">{STATUS_WORDS[task.status]}</td>
                    <td className="py-1.5 pr-3">{PRIORITY_WORDS[task.priority]}</td>
                    <td className="py-1.5 pr-3 whitespace-nowrap">{task.due_at ? formatDateTime(task.due_at, timeZone) : "—"}</td>
                    <td className="py-1.5">{task.labels.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      ) : null}
      {report.problems.length > 0 ? (
        <section aria-labelledby="import-problems">
          <h3 id="import-problems" className="mb-1 font-semibold">
            Problems{report.problems_truncated ? ` (the first ${report.problems.length})` : ""}
          </h3>
          <TableScroll label="Problems">
            <table className="w-full text-left text-sm">
              <TableHead columns={["Row", "What happens", "Problem"]} />
              <tbody className="divide-y divide-line">
                {report.problems.map((problem, index) => (
                  <tr key={index} data-testid="import-problem" data-severity={problem.severity}>
                    <td className="py-1.5 pr-3 tabular-nums">{problem.row ?? "—"}</td>
                    <td className={cx("py-1.5 pr-3 whitespace-nowrap font-medium", problem.severity === "error" ? "text-danger" : "text-warn")}>
                      {problem.severity === "error" ? "Left out" : "Imported, changed"}
                    </td>
                    <td className="py-1.5">
                      {problem.field ? <code className="mr-1 text-xs text-muted">{problem.field}</code> : null}
                      {problem.message}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      ) : (
        <p className="text-ok">No problems found.</p>
      )}
    </div>
  );
}
