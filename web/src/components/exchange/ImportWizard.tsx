"use client";
// Settings → Import, step by step: the format and the file (and, for a generic CSV, its
// columns), where the tasks go → the upload through the presigned form → the dry run (what
// would be created, every row's problem) → the real run, followed on ImportJobView.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/Button";
import { ErrorMessage, Spinner } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { Import, ImportCreate, ImportFormat, ImportReport, TimeZone } from "@/lib/api/types";
import { timeZones } from "@/lib/dates";
import { guessMapping, HEADER_SAMPLE_BYTES, mappingProblems, readHeader, sniffDelimiter, toColumnMapping, type MappingDraft } from "@/lib/exchange/mapping";
import { useProjects, useTimeZone } from "@/lib/queries";
import { useApi } from "@/lib/session";
import { uploadToS3 } from "@/lib/upload";
import { ImportReportView } from "./ImportReportView";
import { MappingStep } from "./MappingStep";

const FORMATS: readonly { format: ImportFormat; label: string; hint: string; accept: string }[] = [
  { format: "tasklane", label: "Tasklane export", hint: "The ZIP from Export, or its tasks.json: every field comes back.", accept: ".zip,.json,application/zip,application/json" },
  { format: "trello", label: "Trello board (JSON)", hint: "Board menu → Print, export and share → Export as JSON.", accept: ".json,application/json" },
  { format: "todoist", label: "Todoist project (CSV)", hint: "Project menu → Export as a template → Download as CSV.", accept: ".csv,text/csv" },
  { format: "csv", label: "Other CSV", hint: "Any spreadsheet saved as CSV: you choose which column is what.", accept: ".csv,.txt,text/csv,text/plain" },
];

/** The dry run's answer, under the form; the focus moves to it so a keyboard or screen
 * reader user lands on what was found. */
function DryRun({ job, report, timeZone, starting, onStart }: { job: Import; report: ImportReport; timeZone: string; starting: boolean; onStart: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const nothing = report.tasks === 0 && report.projects === 0;
  return (
    <section aria-labelledby="import-dry-run" className="space-y-4 border-t border-line pt-4">
      <h2 id="import-dry-run" ref={heading} tabIndex={-1} className="font-semibold outline-none">
        Checked {job.file_name}: nothing is imported yet
      </h2>
      <ImportReportView report={report} dryRun timeZone={timeZone} />
      <Button variant="primary" onClick={onStart} disabled={starting || nothing || report.rejected !== null}>
        {starting ? <Spinner label="Starting the import" /> : null}
        {nothing ? "Nothing to import" : `Import ${report.tasks.toLocaleString()} ${report.tasks === 1 ? "task" : "tasks"}`}
      </Button>
    </section>
  );
}

type Stage = { step: "choose" } | { step: "uploading"; fraction: number } | { step: "checked"; job: Import; report: ImportReport };

export function ImportWizard({ onStarted }: { onStarted: (job: Import) => void }) {
  const api = useApi();
  const id = useId();
  const projects = useProjects();
  const profileZone = useTimeZone();
  const [format, setFormat] = useState<ImportFormat>("tasklane");
  const [file, setFile] = useState<File | null>(null);
  // The file's first bytes: its header is read again when the delimiter changes.
  const [sample, setSample] = useState<string | null>(null);
  const [draft, setDraft] = useState<MappingDraft | null>(null);
  const [target, setTarget] = useState<string>(""); // "": new projects
  const [projectName, setProjectName] = useState("");
  const [timeZone, setTimeZone] = useState<string | null>(null);
  const [stage, setStage] = useState<Stage>({ step: "choose" });
  const [problem, setProblem] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const zone = timeZone ?? profileZone;
  const writable = (projects.data ?? []).filter((p) => p.role !== "viewer" && !p.archived_at);
  const headers = sample !== null && draft ? (readHeader(sample, draft.delimiter) ?? []) : [];
  const mapping = format === "csv" && draft ? mappingProblems(draft, headers) : [];

  const pick = async (chosen: File | null) => {
    setFile(chosen);
    setProblem(null);
    setSample(null);
    setDraft(null);
    if (!chosen) return;
    if (chosen.size === 0) {
      setProblem(`${chosen.name} is empty.`);
      return;
    }
    // Only the header is read here; the file is checked by the server's dry run.
    const text = await chosen.slice(0, HEADER_SAMPLE_BYTES).text();
    const delimiter = sniffDelimiter(text);
    setSample(text);
    setDraft(guessMapping(readHeader(text, delimiter) ?? [], delimiter));
  };

  const check = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || file.size === 0) {
      setProblem(file ? `${file.name} is empty.` : "Choose a file to import.");
      return;
    }
    if (format === "csv" && (headers.length === 0 || mapping.length > 0)) {
      setProblem(headers.length === 0 ? "The file's first line has no column names: a CSV import needs a header row." : "Choose the columns first (see above).");
      return;
    }
    const input: ImportCreate = { format, file_name: file.name, size: file.size, time_zone: zone as TimeZone };
    if (target) input.project_id = target;
    else if (projectName.trim() && (format === "todoist" || format === "csv")) input.project_name = projectName.trim();
    if (format === "csv" && draft) input.mapping = toColumnMapping(draft);
    setProblem(null);
    setStage({ step: "uploading", fraction: 0 });
    try {
      const created = await api.createImport(input);
      await uploadToS3(created.upload, file, (fraction) => setStage({ step: "uploading", fraction }));
      const report = await api.dryRunImport(created.import.id);
      setStage({ step: "checked", job: created.import, report });
    } catch (caught) {
      setProblem(errorMessage(caught));
      setStage({ step: "choose" });
    }
  };

  // The dry run answered for the options it was made with: any change asks for a new one.
  const changed = () => {
    if (stage.step === "checked") setStage({ step: "choose" });
  };

  const start = async (job: Import) => {
    setStarting(true);
    try {
      onStarted(await api.startImport(job.id));
    } catch (caught) {
      setProblem(errorMessage(caught));
    } finally {
      setStarting(false);
    }
  };

  const chosen = FORMATS.find((f) => f.format === format) ?? FORMATS[0]!;
  const uploading = stage.step === "uploading";
  return (
    <>
      <form onSubmit={check} onChange={changed} aria-label="Import a file" className="space-y-4">
        <fieldset className="space-y-2 rounded-xl border border-line p-4">
          <legend className="px-1 font-semibold">What are you importing?</legend>
          {FORMATS.map((f) => (
            <label key={f.format} className="flex items-start gap-2">
              <input type="radio" name={`${id}-format`} value={f.format} checked={format === f.format} onChange={() => setFormat(f.format)} className="mt-1" />
              <span>
                <span className="font-medium">{f.label}</span>
                <span className="block text-xs text-muted">{f.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="space-y-1">
          <label htmlFor={`${id}-file`} className="block font-medium">
            File
          </label>
          <input id={`${id}-file`} type="file" accept={chosen.accept} onChange={(e) => void pick(e.target.files?.[0] ?? null)} className="block w-full max-w-md" />
          <p className="text-xs text-muted">Up to 20 MiB and 10,000 tasks. UTF-8; the file is checked before anything is created.</p>
        </div>
        {format === "csv" && sample !== null && draft ? <MappingStep headers={headers} draft={draft} problems={mapping} onChange={setDraft} /> : null}
        <fieldset className="space-y-2 rounded-xl border border-line p-4">
          <legend className="px-1 font-semibold">Where do the tasks go?</legend>
          <div className="space-y-1">
            <label htmlFor={`${id}-target`} className="block font-medium">
              Project
            </label>
            <select id={`${id}-target`} value={target} onChange={(e) => setTarget(e.target.value)} className="w-full max-w-sm">
              <option value="">New projects, as the file has them</option>
              {writable.map((p) => (
                <option key={p.id} value={p.id}>
                  Into {p.is_inbox ? "your Inbox" : p.name}
                </option>
              ))}
            </select>
          </div>
          {!target && (format === "todoist" || format === "csv") ? (
            <div className="space-y-1">
              <label htmlFor={`${id}-name`} className="block font-medium">
                New project&apos;s name <span className="font-normal text-muted">(optional)</span>
              </label>
              <input id={`${id}-name`} value={projectName} onChange={(e) => setProjectName(e.target.value)} maxLength={100} placeholder={format === "todoist" ? "Todoist import" : "CSV import"} className="w-full max-w-sm" />
            </div>
          ) : null}
          <div className="space-y-1">
            <label htmlFor={`${id}-zone`} className="block font-medium">
              Time zone of the file&apos;s dates
            </label>
            <input id={`${id}-zone`} value={zone} onChange={(e) => setTimeZone(e.target.value)} list={`${id}-zones`} className="w-full max-w-sm" aria-describedby={`${id}-zone-hint`} />
            <datalist id={`${id}-zones`}>
              {timeZones().map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            <p id={`${id}-zone-hint`} className="text-xs text-muted">
              For dates written without one. A date without a time is due at 23:59 that day.
            </p>
          </div>
        </fieldset>
        <ErrorMessage error={problem} />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={uploading}>
            {uploading ? <Spinner label="Uploading" /> : null} Upload and check
          </Button>
          {uploading ? (
            <span role="status" className="text-muted">
              {stage.fraction < 1 ? `Uploading… ${Math.round(stage.fraction * 100)}%` : "Checking the file…"}
            </span>
          ) : null}
        </div>
      </form>
      {stage.step === "checked" ? <DryRun job={stage.job} report={stage.report} timeZone={zone} starting={starting} onStart={() => void start(stage.job)} /> : null}
    </>
  );
}
