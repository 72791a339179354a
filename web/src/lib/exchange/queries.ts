"use client";
// The reads of the data-in-and-out pages: jobs polled with back-off while they run, the
// calendar feed, a project's webhooks and their delivery logs.
import { useQuery } from "@tanstack/react-query";
import type { Export, Import } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { useApi } from "@/lib/session";
import { isActive, jobRefetchInterval } from "./polling";

export const EXPORTS_PATH = "/exports";
export const IMPORTS_PATH = "/imports";
export const CALENDAR_PATH = "/me/calendar";
export const WEBHOOKS_PATH = "/projects/{project_id}/webhooks";

export function useExports() {
  const api = useApi();
  return useQuery({
    queryKey: keys.exports,
    queryFn: () => api.listExports(),
    // The list follows its running jobs too, at the pace of the slowest back-off.
    refetchInterval: (query) => ((query.state.data ?? []).some((e: Export) => isActive(e.status)) ? 5_000 : false),
  });
}

export function useExport(id: string, initial?: Export) {
  const api = useApi();
  return useQuery({ queryKey: keys.export(id), queryFn: () => api.getExport(id), initialData: initial, refetchInterval: jobRefetchInterval });
}

export function useImports() {
  const api = useApi();
  return useQuery({
    queryKey: keys.imports,
    queryFn: () => api.listImports(),
    refetchInterval: (query) => ((query.state.data ?? []).some((i: Import) => isActive(i.status)) ? 5_000 : false),
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
