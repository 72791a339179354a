// Polling a background job (an export, an import) until it ends: soon at first, then less
// and less often, so a long job costs a handful of requests a minute, not one a second.
import type { ExportStatus, ImportStatus } from "@/lib/api/types";

export const FIRST_POLL_MS = 1_000;
export const POLL_FACTOR = 1.5;
export const MAX_POLL_MS = 10_000;

/** The wait before the poll that follows `polls` answers: 1 s, 1.5 s, 2.25 s, … at most 10 s. */
export function pollDelay(polls: number): number {
  const step = Math.max(0, Math.floor(polls));
  return Math.min(MAX_POLL_MS, Math.round(FIRST_POLL_MS * POLL_FACTOR ** step));
}

const ACTIVE = new Set<ExportStatus | ImportStatus>(["queued", "running"]);

/** Still on its queue or running: worth asking again. An import waiting for its file is not
 * (nothing happens until the user sends it). */
export function isActive(status: ExportStatus | ImportStatus | undefined): boolean {
  return status !== undefined && ACTIVE.has(status);
}

/** The part of a TanStack Query the interval needs (a Query fits it). */
interface PolledQuery<T> {
  state: { data: T | undefined; dataUpdateCount: number };
}

/** A query's `refetchInterval`: back off while the job is active, stop once it has ended. */
export function jobRefetchInterval<T extends { status: ExportStatus | ImportStatus }>(query: PolledQuery<T>): number | false {
  const job = query.state.data;
  if (!job || !isActive(job.status)) return false;
  return pollDelay(query.state.dataUpdateCount - 1);
}
