// The live connection: one WebSocket per tab, the ID token in the URL (browsers cannot set
// headers on a WebSocket), subscriptions kept across reconnects, a reconnect with growing
// backoff, a ping before API Gateway's 10-minute idle limit. After a reconnect the owner
// refetches what it shows (messages sent meanwhile are lost), as after a window focus.
// The server ends a connection once the token it was opened with expires (docs/realtime.md),
// so the socket reconnects with a fresh token shortly before that, and at once when told
// `token_expired`.
import { tokenExpiry } from "@/lib/session/cognito";
import { parseFrame, type LiveFrame } from "./messages";

export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface LiveSocketOptions {
  url: string;
  token: () => Promise<string | null>;
  onFrame: (frame: LiveFrame) => void;
  /** Connected again after a drop: what was missed must be read again. */
  onReconnect: () => void;
  open?: (url: string) => SocketLike;
  /** Backoff after the n-th failed attempt (ms). */
  backoff?: (attempt: number) => number;
  pingEveryMs?: number;
  /** Reconnect this long before the connection's token expires (ms). */
  renewBeforeMs?: number;
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
  now?: () => number;
}

const OPEN = 1;
/** Inside the session keeper's one-minute refresh margin (src/lib/session/cognito.ts), so the
 * token() asked for then is a new one, not the expiring one again. */
export const RENEW_BEFORE_MS = 50_000;
/** A token with less life left than the margin still waits this long: never a tight loop. */
const MIN_RENEW_MS = 5_000;

/** 1 s, 2 s, 4 s … at most 30 s, with up to 30 % jitter so tabs do not reconnect together. */
export function defaultBackoff(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + 0.3 * random()));
}

export class LiveSocket {
  private socket: SocketLike | null = null;
  private readonly projects = new Map<string, number>();
  private attempts = 0;
  private connectedOnce = false;
  private stopped = false;
  private retry: unknown = null;
  private ping: unknown = null;
  private renewal: unknown = null;
  private readonly timers: NonNullable<LiveSocketOptions["timers"]>;

  constructor(private readonly options: LiveSocketOptions) {
    this.timers = options.timers ?? {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.timers.clear(this.retry);
    this.timers.clear(this.ping);
    this.timers.clear(this.renewal);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  /** Follow a project while something on screen shows it (counted: two views, one subscription). */
  subscribe(projectId: string): () => void {
    const count = this.projects.get(projectId) ?? 0;
    this.projects.set(projectId, count + 1);
    if (count === 0) this.send({ action: "subscribe", project_id: projectId });
    return () => {
      const left = (this.projects.get(projectId) ?? 1) - 1;
      if (left > 0) {
        this.projects.set(projectId, left);
        return;
      }
      this.projects.delete(projectId);
      this.send({ action: "unsubscribe", project_id: projectId });
    };
  }

  /** Subscribe again to a project this tab follows (the server dropped the subscription
   * when the user's membership ended; shared again, it must be asked for again). */
  renew(projectId: string): void {
    if (this.projects.has(projectId)) this.send({ action: "subscribe", project_id: projectId });
  }

  private send(message: object): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private async connect(): Promise<void> {
    const token = await this.options.token();
    if (this.stopped) return;
    if (!token) return this.later();
    const open = this.options.open ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    const socket = open(`${this.options.url}?token=${encodeURIComponent(token)}`);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      for (const projectId of this.projects.keys()) this.send({ action: "subscribe", project_id: projectId });
      this.keepAlive();
      this.renewBefore(tokenExpiry(token));
      if (this.connectedOnce) this.options.onReconnect();
      this.connectedOnce = true;
    };
    socket.onmessage = (event) => {
      const frame = parseFrame(event.data);
      if (!frame) return;
      this.options.onFrame(frame);
      // The token expired before the renewal came (a sleeping laptop): reconnect now.
      if (frame.type === "error" && frame.error.code === "token_expired" && this.socket === socket) this.reopen();
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.timers.clear(this.ping);
      this.timers.clear(this.renewal);
      if (!this.stopped) this.later();
    };
    socket.onerror = () => socket.close();
  }

  private later(): void {
    this.attempts += 1;
    const wait = (this.options.backoff ?? defaultBackoff)(this.attempts);
    this.retry = this.timers.set(() => void this.connect(), wait);
  }

  /** Schedules a reconnect shortly before the token expires (ms since the epoch; 0: unknown). */
  private renewBefore(expiresAt: number): void {
    this.timers.clear(this.renewal);
    if (!expiresAt) return;
    const now = (this.options.now ?? Date.now)();
    const wait = expiresAt - (this.options.renewBeforeMs ?? RENEW_BEFORE_MS) - now;
    this.renewal = this.timers.set(() => this.reopen(), Math.max(MIN_RENEW_MS, wait));
  }

  /** Replaces the socket with one opened with a fresh token; the reconnect's refetch
   * (onReconnect) reads what was posted in between. */
  private reopen(): void {
    this.timers.clear(this.renewal);
    this.timers.clear(this.ping);
    const socket = this.socket;
    this.socket = null; // its close is ours: no backoff
    socket?.close();
    if (!this.stopped) void this.connect();
  }

  private keepAlive(): void {
    this.timers.clear(this.ping);
    this.ping = this.timers.set(() => {
      this.send({ action: "ping" });
      this.keepAlive();
    }, this.options.pingEveryMs ?? 5 * 60_000);
  }
}
