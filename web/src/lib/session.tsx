"use client";
// The app's signed-in state for React: configuration (GET /config), the Cognito session
// (SessionKeeper) and the API client.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiClient } from "./api";
import type { Session } from "./auth";
import { type AppConfig, loadConfig } from "./config";
import { type EndReason, SessionKeeper } from "./keeper";

export type { EndReason };

export interface SessionContextValue {
  config: AppConfig | null;
  configError: string | null;
  /** False until the stored session has been read. */
  ready: boolean;
  session: Session | null;
  api: ApiClient | null;
  endReason: EndReason | null;
  /** OpenAPI paths the API serves; null while unknown. */
  paths: ReadonlySet<string> | null;
  start: (session: Session) => void;
  logOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);
  const [keeper, setKeeper] = useState<SessionKeeper | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [endReason, setEndReason] = useState<EndReason | null>(null);
  const [paths, setPaths] = useState<ReadonlySet<string> | null>(null);

  useEffect(() => {
    let live = true;
    loadConfig().then(
      (loaded) => {
        if (!live) return;
        const created = new SessionKeeper(loaded, (next, ended) => {
          setSession(next);
          setEndReason(ended);
        });
        setConfig(loaded);
        setKeeper(created);
        setSession(created.session);
        new ApiClient(loaded.api_url, async () => null)
          .paths()
          .then((found) => live && setPaths(new Set(found)))
          .catch(() => live && setPaths(new Set()));
      },
      (error: unknown) => live && setConfigError(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!keeper) return;
    const onStorage = () => keeper.reload();
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [keeper]);

  const api = useMemo(
    () => (keeper && config ? new ApiClient(config.api_url, () => keeper.token(), () => keeper.end("expired")) : null),
    [keeper, config],
  );
  const value = useMemo<SessionContextValue>(
    () => ({
      config,
      configError,
      ready: keeper !== null,
      session,
      endReason,
      paths,
      api,
      start: (next) => keeper?.start(next),
      logOut: async () => keeper?.logOut(),
    }),
    [config, configError, keeper, session, endReason, paths, api],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The API client of a signed-in page (RequireSession renders pages only with one). */
export function useApi(): ApiClient {
  const { api } = useSession();
  if (!api) throw new Error("useApi before the configuration is loaded");
  return api;
}

/** Whether the API serves `path` (an OpenAPI path); undefined while unknown. */
export function useFeature(path: string): boolean | undefined {
  const { paths } = useSession();
  return paths ? paths.has(path) : undefined;
}
