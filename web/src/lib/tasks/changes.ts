// A task's changes (complete, edit, move, delete, restore) run one after another: one
// TanStack mutation scope per task. Their key finds them: an answer that a later change will
// overrule (src/lib/tasks/actions.ts), a live post that must wait (src/lib/live/messages.ts).
import type { QueryClient } from "@tanstack/react-query";
import { keys } from "@/lib/query/keys";

/** The options every change of one task shares: its scope and its key. */
export function taskChange(id: string): { scope: { id: string }; mutationKey: readonly unknown[] } {
  return { scope: { id }, mutationKey: keys.task(id) };
}

/** How many changes of the task are sent or waiting to be (a settling one still counts). */
export function changing(client: QueryClient, id: string): number {
  return client.isMutating({ mutationKey: keys.task(id) });
}
