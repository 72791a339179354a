"use client";
// One TaskActions per signed-in session: it holds the deletes waiting for their undo window,
// which leaving the page sends at once.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, type ReactNode } from "react";
import { MOVE_PATH } from "@/lib/api/types";
import { useApi, useFeature } from "@/lib/session";
import { TaskActions } from "./actions";

export const TaskActionsContext = createContext<TaskActions | null>(null);

export function TaskActionsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const client = useQueryClient();
  const ordered = useFeature(MOVE_PATH) === true;
  const actions = useMemo(() => new TaskActions(api, client, ordered), [api, client, ordered]);
  useEffect(() => {
    const flush = () => actions.flushDeletes();
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [actions]);
  return <TaskActionsContext.Provider value={actions}>{children}</TaskActionsContext.Provider>;
}

export function useTaskActions(): TaskActions {
  const actions = useContext(TaskActionsContext);
  if (!actions) throw new Error("useTaskActions outside TaskActionsProvider");
  return actions;
}
