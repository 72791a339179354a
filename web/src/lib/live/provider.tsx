"use client";
// Live updates for the signed-in pages: one socket per tab (GET /config's realtime_url),
// every post applied to the query cache, and a refetch of what is on screen after a
// reconnect. Without a realtime_url (or while disconnected) pages still refetch on window
// focus (src/lib/query/provider.tsx). Views say which projects they show: useLiveProject.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useSession } from "@/lib/session";
import { applyChanges, followMyChanges, type ChangeNotice } from "./messages";
import { LiveSocket } from "./socket";

type NoticeListener = (notices: ChangeNotice[]) => void;

interface LiveContextValue {
  socket: LiveSocket | null;
  listen: (listener: NoticeListener) => () => void;
}

const LiveContext = createContext<LiveContextValue>({ socket: null, listen: () => () => undefined });

export function LiveProvider({ children }: { children: ReactNode }) {
  const { config, user, socketToken } = useSession();
  const client = useQueryClient();
  const [socket, setSocket] = useState<LiveSocket | null>(null);
  const listeners = useRef(new Set<NoticeListener>());
  const url = config?.realtime_url ?? null;
  const me = user?.id ?? null;

  useEffect(() => {
    if (!url || !me || !socketToken) return;
    const live = new LiveSocket({
      url,
      token: socketToken,
      onFrame: (frame) => {
        if (frame.type !== "changes") return;
        for (const change of frame.changes) {
          // Shared with me (again): a page still showing the project follows it again.
          if (change.kind === "member" && change.id === me && change.op !== "deleted" && change.project_id) {
            live.renew(change.project_id);
          }
        }
        const notices = applyChanges(client, frame.changes, me);
        if (notices.length) for (const listener of listeners.current) listener(notices);
      },
      // Changes made while the socket was down were never posted: read the views again.
      onReconnect: () => void client.invalidateQueries(),
    });
    // Posts about a task I am changing wait for my answers; they are applied after them.
    const unfollow = followMyChanges(client, me);
    live.start();
    setSocket(live);
    return () => {
      unfollow();
      live.stop();
      setSocket(null);
    };
  }, [url, me, socketToken, client]);

  const [value] = useState<Omit<LiveContextValue, "socket">>(() => ({
    listen: (listener) => {
      listeners.current.add(listener);
      return () => void listeners.current.delete(listener);
    },
  }));
  return <LiveContext.Provider value={{ ...value, socket }}>{children}</LiveContext.Provider>;
}

/** Follow a project's changes while the calling view is mounted. */
export function useLiveProject(projectId: string | null | undefined): void {
  const { socket } = useContext(LiveContext);
  useEffect(() => (socket && projectId ? socket.subscribe(projectId) : undefined), [socket, projectId]);
}

/** Follow several projects (a view across projects: "assigned to me"). */
export function useLiveProjects(projectIds: readonly string[]): void {
  const { socket } = useContext(LiveContext);
  const joined = [...new Set(projectIds)].sort().join(",");
  useEffect(() => {
    if (!socket || !joined) return;
    const leaves = joined.split(",").map((id) => socket.subscribe(id));
    return () => leaves.forEach((leave) => leave());
  }, [socket, joined]);
}

/** Changes other people made to this task since it was opened ("Bob changed the due date"). */
export function useChangeNotices(taskId: string): ChangeNotice[] {
  const { listen } = useContext(LiveContext);
  // Kept with the task they are about: another task's drawer starts with none.
  const [held, setHeld] = useState<{ taskId: string; notices: ChangeNotice[] }>({ taskId, notices: [] });
  useEffect(
    () =>
      listen((incoming) => {
        const mine = incoming.filter((n) => n.taskId === taskId);
        if (!mine.length) return;
        setHeld((current) => ({
          taskId,
          notices: [...(current.taskId === taskId ? current.notices : []), ...mine].slice(-3),
        }));
      }),
    [listen, taskId],
  );
  return held.taskId === taskId ? held.notices : [];
}
