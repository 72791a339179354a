"use client";
// The reads of the data-in-and-out pages: jobs polled with back-off while they run, the
// calendar feed, a project's webhooks and their delivery logs.
import { useQuery } from "@tanstack/react-query";
import type { Export } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { useApi } from "@/lib/session";
import { jobRefetchInterval } from "./polling";

export const EXPORTS_PATH = "/exports";
export const IMPORTS_PATH = "/imports";
export const CALENDAR_PATH = "/me/calendar";
export const WEBHOOKS_PATH = "/projects/{project_id}/webhooks";

/** The list is read once; each running job in it is polled on its own (`useExport`). */
export function useExports() {
  const api = useApi();
  return useQuery({ queryKey: keys.exports, queryFn: () => api.listExports() });
}

/** One export, polled with back-off while it runs. `initial`: its copy from the list, fresh
 * enough that a list of ended exports costs no request per row. */
export function useExport(id: string, initial?: Export) {
  const api = useApi();
  return useQuery({
    queryKey: keys.export(id),
    queryFn: () => api.getExport(id),
    initialData: initial,
    staleTime: 10_000,
    refetchInterval: jobRefetchInterval,
  });
}

export function useImportJob(id: string | null) {
  const api = useApi();
  return useQuery({ queryKey: keys.import(id ?? ""), queryFn: () => api.getImport(id ?? ""), enabled: id !== null, refetchInterval: jobRefetchInterval });
}

export function useWebhooks(projectId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({ queryKey: keys.webhooks(projectId), queryFn: () => api.listWebhooks(projectId), enabled });
}

export function useDeliveries(projectId: string, webhookId: string) {
  const api = useApi();
  return useQuery({ queryKey: keys.deliveries(projectId, webhookId), queryFn: () => api.webhookDeliveries(projectId, webhookId), refetchInterval: 30_000 });
}
