"use client";
import { ErrorMessage, Skeleton } from "@/components/Status";
import { useLoad } from "@/lib/hooks";
import { useApi, useSession } from "@/lib/session";

/** Local mode: the e-mails SES would have sent (GET /_dev/mail on the local gateway). */
export default function DevMailPage() {
  const api = useApi();
  const { config } = useSession();
  const mail = useLoad(() => api.devMail(), "dev-mail");
  if (!config?.localMode) return <ErrorMessage error="The mailbox exists only when the API runs locally (make run)." />;
  return (
    <>
      <h1>Mailbox (local)</h1>
      <p className="hint">E-mails the system sent, newest first. Nothing leaves this machine.</p>
      <p>
        <button type="button" onClick={mail.reload}>
          Refresh
        </button>
      </p>
      {mail.loading && !mail.data ? <Skeleton rows={3} label="Loading e-mails" /> : null}
      <ErrorMessage error={mail.error ? `The mailbox is not available: ${mail.error}` : null} />
      {mail.data?.items.length === 0 ? <p>No e-mails yet.</p> : null}
      <ul className="stack" aria-label="E-mails">
        {mail.data?.items.map((m) => (
          <li key={m.id}>
            <details>
              <summary>
                <strong>{m.subject}</strong> to {m.to.join(", ")} <span className="hint">{m.sent_at}</span>
              </summary>
              <pre style={{ whiteSpace: "pre-wrap" }}>{m.text || m.html.replace(/<[^>]*>/g, "")}</pre>
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
