"use client";
// Starting an export (one project, or everything): the new job goes into the cache at once,
// so its page shows it without waiting for a read.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import type { Export } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { useApi } from "@/lib/session";

export function useStartExport(): { start: (projectId?: string) => Promise<Export>; pending: boolean } {
  const api = useApi();
  const client = useQueryClient();
  const [pending, setPending] = useState(false);
  const start = useCallback(
    async (projectId?: string) => {
      setPending(true);
      try {
        const job = await api.startExport(projectId);
        client.setQueryData(keys.export(job.id), job);
        void client.invalidateQueries({ queryKey: keys.exports, exact: true });
        return job;
      } finally {
        setPending(false);
      }
    },
    [api, client],
  );
  return { start, pending };
}
