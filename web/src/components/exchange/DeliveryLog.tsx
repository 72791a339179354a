"use client";
// A webhook's last 100 delivery attempts, newest first: when, which event, the receiver's
// status, how long it took, and why it failed.
import { useDeliveries } from "@/lib/exchange/queries";
import { EmptyState, ErrorMessage, Skeleton } from "@/components/ui/Status";
import { cx } from "@/components/ui/cx";
import { TableHead, TableScroll } from "@/components/ui/TableHead";
import { errorMessage } from "@/lib/api/errors";
import { relativeDateTime } from "@/lib/dates";
import { useTimeZone } from "@/lib/queries";

export function DeliveryLog({ projectId, webhookId }: { projectId: string; webhookId: string }) {
  const log = useDeliveries(projectId, webhookId);
  const timeZone = useTimeZone();
  if (log.isPending) return <Skeleton rows={2} label="Loading the delivery log" />;
  if (log.error) return <ErrorMessage error={errorMessage(log.error)} />;
  if (log.data.length === 0) {
    return <EmptyState title="No deliveries yet">Each change this webhook listens to is sent here, with the receiver&apos;s answer.</EmptyState>;
  }
  return (
    <TableScroll label="Delivery attempts">
      <table className="w-full text-left text-sm" aria-label="Delivery log">
        <TableHead columns={["When", "Event", "Status", "Time", "Error"]} />
        <tbody className="divide-y divide-line">
          {log.data.map((attempt) => {
            const ok = attempt.error === null && attempt.status !== null && attempt.status < 300;
            return (
              <tr key={`${attempt.delivery_id}-${attempt.attempt}`} data-testid="delivery">
                <td className="py-1.5 pr-3 whitespace-nowrap">{relativeDateTime(attempt.at, timeZone)}</td>
                <td className="py-1.5 pr-3">
                  <code className="text-xs">{attempt.event}</code>
                  {attempt.attempt > 1 ? <span className="text-xs text-muted"> (attempt {attempt.attempt})</span> : null}
                </td>
                <td className={cx("py-1.5 pr-3 font-medium", ok ? "text-ok" : "text-danger")}>{attempt.status ?? "no answer"}</td>
                <td className="py-1.5 pr-3 whitespace-nowrap">{attempt.latency_ms} ms</td>
                <td className="py-1.5 break-all text-muted">{attempt.error ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
