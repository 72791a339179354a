"use client";
// One TaskActions per signed-in session: every task change goes through it (optimistic, in
// order per task, undoable where the toast says so).
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { MOVE_PATH } from "@/lib/api/types";
import { useApi, useFeature } from "@/lib/session";
import { TaskActions } from "./actions";

export const TaskActionsContext = createContext<TaskActions | null>(null);

export function TaskActionsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const client = useQueryClient();
  const ordered = useFeature(MOVE_PATH) === true;
  const actions = useMemo(() => new TaskActions(api, client, ordered), [api, client, ordered]);
  return <TaskActionsContext.Provider value={actions}>{children}</TaskActionsContext.Provider>;
}

export function useTaskActions(): TaskActions {
  const actions = useContext(TaskActionsContext);
  if (!actions) throw new Error("useTaskActions outside TaskActionsProvider");
  return actions;
}
