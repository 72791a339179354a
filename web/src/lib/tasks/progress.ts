// A task's checklist progress in words, as list rows and the drawer show it.
import type { Task } from "@/lib/api/types";

/** "3/7", or null for a task without a checklist. */
export function progressText(task: Pick<Task, "checklist_progress">): string | null {
  const progress = task.checklist_progress;
  return progress && progress.total > 0 ? `${progress.done}/${progress.total}` : null;
}
