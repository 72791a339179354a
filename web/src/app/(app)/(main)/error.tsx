"use client";
// A page that failed to render: say so, keep the shell, offer to try again (the data layer
// retries requests itself; this is for what it cannot fix).
import { useEffect } from "react";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto mt-10 max-w-md space-y-3 rounded-xl border border-line p-6 text-center">
      <PageTitle title="Something went wrong" />
      <h1 className="text-lg font-semibold">This page could not be shown</h1>
      <p className="text-muted">Nothing you saved is lost. Try again; if it keeps happening, reload the page.</p>
      <div className="flex justify-center gap-2">
        <Button variant="primary" onClick={reset}>
          Try again
        </Button>
        <Button onClick={() => window.location.reload()}>Reload</Button>
      </div>
    </div>
  );
}
