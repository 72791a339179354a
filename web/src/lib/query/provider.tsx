"use client";
// The one data layer (TanStack Query): every read is cached here, every optimistic update and
// (later) every live update patches this cache.
import { QueryClient, QueryClientProvider, notifyManager } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ApiError, isApiError } from "@/lib/api/errors";

// Cache changes reach the components in a microtask, in the same task as the click or key that
// made them: TanStack's default (a setTimeout of 0) put every optimistic update at least one
// task behind its input (complete: 44.7 → 18.5 ms to the screen, benchmarks/web_interaction.py).
// React still renders the changes of one task together (its automatic batching).
notifyManager.setScheduler(queueMicrotask);

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 20_000,
        // A 4xx will not change by asking again (but a 429 will, later); a network error or a
        // 5xx may.
        retry: (failures, error) => (!(error instanceof ApiError && error.status < 500) || isApiError(error, 429)) && failures < 2,
        refetchOnWindowFocus: true,
      },
      // Throttled (429): the same request a moment later (creates carry an Idempotency-Key,
      // edits name their fields). Anything else is reported at once.
      mutations: { retry: (failures, error) => isApiError(error, 429) && failures < 2 },
    },
  });
}

export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
