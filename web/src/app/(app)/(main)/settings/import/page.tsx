"use client";
// Settings → Import. `?import=<id>` follows a started import (reloadable, shareable with
// yourself); without it, the wizard.
import { useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { ImportJobView } from "@/components/exchange/ImportJobView";
import { ImportWizard } from "@/components/exchange/ImportWizard";
import { SettingsNav } from "@/components/settings/SettingsNav";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { ErrorMessage, Skeleton } from "@/components/ui/Status";
import { IMPORTS_PATH } from "@/lib/exchange/queries";
import { keys } from "@/lib/query/keys";
import { useFeature } from "@/lib/session";

function Import() {
  const router = useRouter();
  const client = useQueryClient();
  const params = useSearchParams();
  const importId = params.get("import");
  if (importId) {
    return (
      <div className="space-y-4">
        <ImportJobView id={importId} />
        <Button onClick={() => router.push("/settings/import")}>Import another file</Button>
      </div>
    );
  }
  return (
    <ImportWizard
      onStarted={(job) => {
        client.setQueryData(keys.import(job.id), job);
        router.push(`/settings/import?import=${job.id}`);
      }}
    />
  );
}

export default function ImportSettingsPage() {
  const available = useFeature(IMPORTS_PATH);
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle title="Import" />
      <SettingsNav />
      <h1 className="mb-4 text-xl font-semibold">Import</h1>
      {available === false ? (
        <ErrorMessage error="Import is not available on this server yet." />
      ) : (
        <Suspense fallback={<Skeleton rows={3} label="Loading" />}>
          <Import />
        </Suspense>
      )}
    </div>
  );
}
