// The current Cognito session outside React: stored in localStorage (so a reload keeps you
// logged in), refreshed with the refresh token shortly before the ID token expires (one
// refresh at a time), ended when Cognito refuses the refresh or the API refuses the token.
import { type Session, globalSignOut, loadSession, needsRefresh, refresh, saveSession } from "./cognito";
import type { ClientConfig } from "@/lib/api/types";

export type EndReason = "logout" | "expired";
export type SessionListener = (session: Session | null, ended: EndReason | null) => void;

export interface KeeperDeps {
  refresh: (config: ClientConfig, session: Session) => Promise<Session>;
  signOut: (config: ClientConfig, session: Session) => Promise<void>;
  load: () => Session | null;
  save: (session: Session | null) => void;
}

const COGNITO: KeeperDeps = { refresh, signOut: globalSignOut, load: loadSession, save: saveSession };

export class SessionKeeper {
  private current: Session | null;
  private refreshing: Promise<Session | null> | null = null;

  constructor(
    private readonly config: ClientConfig,
    private readonly listener: SessionListener,
    private readonly deps: KeeperDeps = COGNITO,
  ) {
    this.current = deps.load();
  }

  get session(): Session | null {
    return this.current;
  }

  start(session: Session): void {
    this.set(session, null);
  }

  end(reason: EndReason): void {
    this.set(null, reason);
  }

  /** Another tab logged in or out. */
  reload(): void {
    this.current = this.deps.load();
    this.listener(this.current, null);
  }

  async logOut(): Promise<void> {
    const session = this.current;
    this.end("logout");
    // Revokes the refresh token too; the local session is gone whatever Cognito answers.
    if (session) await this.deps.signOut(this.config, session).catch(() => undefined);
  }

  /** A valid ID token, refreshed if it is about to expire; null once the session ended. */
  async token(): Promise<string | null> {
    const session = this.current;
    if (!session) return null;
    if (!needsRefresh(session)) return session.idToken;
    this.refreshing ??= this.deps
      .refresh(this.config, session)
      .then((next) => {
        this.set(next, null);
        return next;
      })
      .catch(() => {
        this.end("expired");
        return null;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return (await this.refreshing)?.idToken ?? null;
  }

  private set(session: Session | null, reason: EndReason | null): void {
    this.current = session;
    this.deps.save(session);
    this.listener(session, reason);
  }
}
