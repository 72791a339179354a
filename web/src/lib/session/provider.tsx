"use client";
// The signed-in state for React: configuration (GET /config), the session (SessionKeeper) and
// the API client. Pages see only this small interface — who is signed in, log in, log out,
// the API — never tokens. The ID token lives in memory (SessionKeeper); the refresh token in an
// httpOnly cookie that only the web server's session endpoints read (issue 14, finding 5).
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { Api } from "@/lib/api/client";
import { jwtClaims } from "./cognito";
import { logIn as serverLogIn } from "./endpoints";
import { type AppConfig, loadConfig } from "./config";
import { type EndReason, SessionKeeper } from "./keeper";

export type { EndReason };

export interface SignedInUser {
  id: string;
  email: string;
}

export interface SessionContextValue {
  config: AppConfig | null;
  configError: string | null;
  /** False until the stored session has been read. */
  ready: boolean;
  user: SignedInUser | null;
  api: Api | null;
  endReason: EndReason | null;
  /** OpenAPI paths the API serves; null while unknown. */
  paths: ReadonlySet<string> | null;
  /** A fresh ID token for the live-updates socket only (src/lib/live): a WebSocket cannot
   * send the Authorization header, so the token goes in its URL. */
  socketToken: (() => Promise<string | null>) | null;
  logIn: (email: string, password: string) => Promise<void>;
  logOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Where sessions were kept before they moved to memory and an httpOnly cookie. */
const OLD_STORAGE_KEY = "tasklane.session";
/** Tabs of this site tell each other about log-ins and log-outs (memory is per tab). */
const CHANNEL = "tasklane.session";
type TabMessage = "login" | "logout";

function tell(message: TabMessage): void {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(message);
  channel.close();
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);
  const [keeper, setKeeper] = useState<SessionKeeper | null>(null);
  const [user, setUser] = useState<SignedInUser | null>(null);
  const [endReason, setEndReason] = useState<EndReason | null>(null);
  const [paths, setPaths] = useState<ReadonlySet<string> | null>(null);
  // Resolved once the keeper exists: a log-in sent before that waits instead of failing.
  const [ready] = useState(() => {
    let resolve: (keeper: SessionKeeper) => void = () => {};
    const promise = new Promise<SessionKeeper>((done) => {
      resolve = done;
    });
    return { promise, resolve };
  });

  useEffect(() => {
    let live = true;
    const toUser = (idToken: string | undefined, email: string): SignedInUser | null =>
      idToken ? { id: jwtClaims(idToken).sub ?? "", email } : null;
    try {
      // A session stored by an earlier version (refresh token included): never read, gone.
      localStorage.removeItem(OLD_STORAGE_KEY);
    } catch {
      // storage disabled: nothing stored either
    }
    const created = new SessionKeeper((next, ended) => {
      if (!live) return;
      setUser((current) => {
        const fresh = toUser(next?.idToken, next?.email ?? "");
        // A refreshed token is the same person: keep the object (no re-render cascade).
        return current && fresh && current.id === fresh.id ? current : fresh;
      });
      setEndReason(ended);
    });
    // The session survives a reload in the cookie only: ask the server for a fresh ID token.
    Promise.all([loadConfig(), created.restore()]).then(
      ([loaded]) => {
        if (!live) return;
        setConfig(loaded);
        setKeeper(created);
        ready.resolve(created);
        new Api(loaded.api_url, async () => null)
          .paths()
          .then((found) => live && setPaths(new Set(found)))
          .catch(() => live && setPaths(new Set()));
      },
      (error: unknown) => live && setConfigError(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      live = false;
    };
  }, [ready]);

  useEffect(() => {
    if (!keeper || typeof BroadcastChannel === "undefined") return;
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event: MessageEvent<TabMessage>) => {
      if (event.data === "logout") keeper.end("logout");
      else if (event.data === "login") void keeper.restore();
    };
    return () => channel.close();
  }, [keeper]);

  const api = useMemo(
    () => (keeper && config ? new Api(config.api_url, () => keeper.token(), () => keeper.end("expired")) : null),
    [keeper, config],
  );
  const socketToken = useMemo(() => (keeper ? () => keeper.token() : null), [keeper]);
  const value = useMemo<SessionContextValue>(
    () => ({
      config,
      configError,
      ready: keeper !== null,
      user,
      endReason,
      paths,
      api,
      socketToken,
      logIn: async (email, password) => {
        if (configError) throw new Error(configError);
        const [session, current] = await Promise.all([serverLogIn(email, password), ready.promise]);
        current.start(session);
        tell("login");
      },
      logOut: async () => {
        await keeper?.logOut();
        tell("logout");
      },
    }),
    [config, configError, keeper, user, endReason, paths, api, socketToken, ready],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The API client of a signed-in page (RequireSession renders pages only with one). */
export function useApi(): Api {
  const { api } = useSession();
  if (!api) throw new Error("useApi before the configuration is loaded");
  return api;
}

/** The signed-in user (RequireSession renders pages only with one). */
export function useUser(): SignedInUser {
  const { user } = useSession();
  if (!user) throw new Error("useUser outside a signed-in page");
  return user;
}

/** Whether the API serves `path` (an OpenAPI path); undefined while unknown. */
export function useFeature(path: string): boolean | undefined {
  const { paths } = useSession();
  return paths ? paths.has(path) : undefined;
}
