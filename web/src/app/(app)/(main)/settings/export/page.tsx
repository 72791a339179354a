"use client";
// Settings → Export: everything you can read as one ZIP, and your recent exports (each polled
// while it runs, then downloadable for 7 days). One project is exported from its menu.
import { Archive } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ExportCard } from "@/components/exchange/ExportCard";
import { SettingsNav } from "@/components/settings/SettingsNav";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { EmptyState, ErrorMessage, Skeleton, Spinner } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import { EXPORTS_PATH, useExports } from "@/lib/exchange/queries";
import { useStartExport } from "@/lib/exchange/start-export";
import { useFeature } from "@/lib/session";

function Exports() {
  const router = useRouter();
  const exports = useExports();
  const { start, pending } = useStartExport();
  const [problem, setProblem] = useState<string | null>(null);
  const everything = async () => {
    try {
      const job = await start();
      setProblem(null);
      router.push(`/exports/${job.id}`);
    } catch (caught) {
      setProblem(errorMessage(caught));
    }
  };
  return (
    <div className="space-y-5">
      <section aria-labelledby="export-all" className="space-y-3 rounded-xl border border-line p-4">
        <h2 id="export-all" className="font-semibold">
          Export everything
        </h2>
        <p className="text-muted">
          One ZIP with every project you can read: <code>tasks.json</code> (every field, checklists and comments; Tasklane imports it back), <code>tasks.csv</code> for spreadsheets, and the attached
          files. To export one project, use <span className="text-fg">Export project</span> in its menu.
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <Button variant="primary" onClick={() => void everything()} disabled={pending}>
            {pending ? <Spinner label="Starting the export" /> : null} Export everything
          </Button>
          <span className="text-xs text-muted">Up to 3 exports at a time; each is kept for 7 days.</span>
        </div>
        <ErrorMessage error={problem} />
      </section>
      <section aria-labelledby="export-list" className="space-y-2">
        <h2 id="export-list" className="font-semibold">
          Your exports
        </h2>
        {exports.isPending ? <Skeleton rows={2} label="Loading your exports" /> : null}
        <ErrorMessage error={exports.error ? errorMessage(exports.error) : null} />
        {exports.data?.length === 0 ? (
          <EmptyState icon={<Archive className="size-6" />} title="No exports yet">
            Your exports of the last 7 days are listed here, ready to download.
          </EmptyState>
        ) : null}
        {exports.data?.map((job) => <ExportCard key={job.id} id={job.id} initial={job} />)}
      </section>
    </div>
  );
}

export default function ExportSettingsPage() {
  const available = useFeature(EXPORTS_PATH);
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle title="Export" />
      <SettingsNav />
      <h1 className="mb-4 text-xl font-semibold">Export</h1>
      {available === false ? <ErrorMessage error="Export is not available on this server yet." /> : <Exports />}
    </div>
  );
}
