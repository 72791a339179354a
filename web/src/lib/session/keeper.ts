// The current session outside React, in memory only: a page load asks the web server for a
// fresh ID token (the refresh token is in an httpOnly cookie this code cannot read), the ID
// token is refreshed shortly before it expires (one refresh at a time), and the session ends
// when the server refuses the refresh or the API refuses the token.
import { type Session, needsRefresh } from "./cognito";
import * as endpoints from "./endpoints";

export type EndReason = "logout" | "expired";
export type SessionListener = (session: Session | null, ended: EndReason | null) => void;

export interface KeeperDeps {
  /** null: no session. */
  refresh: () => Promise<Session | null>;
  logOut: () => Promise<void>;
}

const SERVER: KeeperDeps = { refresh: endpoints.refresh, logOut: endpoints.logOut };

export class SessionKeeper {
  private current: Session | null = null;
  private refreshing: Promise<Session | null> | null = null;

  constructor(
    private readonly listener: SessionListener,
    private readonly deps: KeeperDeps = SERVER,
  ) {}

  get session(): Session | null {
    return this.current;
  }

  /** On a page load, or when another tab logged in: the session the cookie holds, if any. */
  async restore(): Promise<Session | null> {
    const found = await this.deps.refresh().catch(() => null);
    this.set(found, null);
    return found;
  }

  start(session: Session): void {
    this.set(session, null);
  }

  end(reason: EndReason): void {
    this.set(null, reason);
  }

  async logOut(): Promise<void> {
    this.end("logout");
    // The page's session is gone whatever the server answers; the server revokes the refresh
    // token with Cognito and deletes the cookie.
    await this.deps.logOut().catch(() => undefined);
  }

  /** A valid ID token, refreshed if it is about to expire; null once the session ended. */
  async token(): Promise<string | null> {
    const session = this.current;
    if (!session) return null;
    if (!needsRefresh(session)) return session.idToken;
    this.refreshing ??= this.deps
      .refresh()
      .catch(() => null)
      .then((next) => {
        if (next) this.set(next, null);
        else this.end("expired");
        return next;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return (await this.refreshing)?.idToken ?? null;
  }

  private set(session: Session | null, reason: EndReason | null): void {
    this.current = session;
    this.listener(session, reason);
  }
}
