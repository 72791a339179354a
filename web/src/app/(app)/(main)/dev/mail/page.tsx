"use client";
import { useQuery } from "@tanstack/react-query";
import { Mail } from "lucide-react";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { EmptyState, ErrorMessage, Skeleton } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import { keys } from "@/lib/query/keys";
import { useTimeZone } from "@/lib/queries";
import { formatDateTime } from "@/lib/dates";
import { useApi, useSession } from "@/lib/session";

/** Local mode: the e-mails SES would have sent (GET /_dev/mail on the local gateway). */
export default function DevMailPage() {
  const api = useApi();
  const { config } = useSession();
  const timeZone = useTimeZone();
  const mail = useQuery({ queryKey: keys.devMail, queryFn: () => api.devMail(), enabled: Boolean(config?.localMode) });
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle title="Mailbox" />
      <div className="mb-3 flex items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">Mailbox (local)</h1>
        <Button size="sm" onClick={() => void mail.refetch()}>
          Refresh
        </Button>
      </div>
      {!config?.localMode ? (
        <ErrorMessage error="The mailbox exists only when the API runs locally (make run)." />
      ) : (
        <>
          <p className="mb-4 text-muted">E-mails the system sent, newest first. Nothing leaves this machine.</p>
          {mail.isPending ? <Skeleton rows={3} label="Loading e-mails" /> : null}
          <ErrorMessage error={mail.error ? `The mailbox is not available: ${errorMessage(mail.error)}` : null} />
          {mail.data?.length === 0 ? <EmptyState icon={<Mail className="size-8" />} title="No e-mails yet" /> : null}
          <ul className="space-y-2" aria-label="E-mails">
            {mail.data?.map((m) => (
              <li key={m.id} className="rounded-lg border border-line">
                <details>
                  <summary className="cursor-pointer p-3">
                    <span className="font-medium">{m.subject}</span> <span className="text-muted">to {m.to.join(", ")}</span>{" "}
                    {m.sent_at ? <span className="text-xs text-muted">{formatDateTime(m.sent_at, timeZone)}</span> : null}
                  </summary>
                  <pre className="whitespace-pre-wrap border-t border-line p-3 font-sans [overflow-wrap:anywhere]">{m.text || m.html.replace(/<[^>]*>/g, "")}</pre>
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
