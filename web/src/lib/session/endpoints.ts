// The browser's side of the web server's session endpoints (app/api/session/*): the server
// talks to Cognito and keeps the refresh token in an httpOnly cookie; the page gets the ID
// token only, and keeps it in memory (issue 14, finding 5).
import { authErrorFrom, type Session, sessionOf } from "./cognito";

/** Proves the request comes from this site's script (see lib/server/session-http.ts). */
const SESSION_HEADERS = { "X-Tasklane-Session": "1" };

async function post(path: "login" | "refresh" | "logout", body?: unknown): Promise<Response> {
  try {
    return await fetch(`/api/session/${path}`, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: body === undefined ? SESSION_HEADERS : { ...SESSION_HEADERS, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      // The page shows the log-in form before the log-out is answered: a tab closed at once
      // must not cancel the request that revokes the session.
      keepalive: path === "logout",
    });
  } catch (error) {
    throw authErrorFrom(error);
  }
}

async function refusal(response: Response) {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  const error = new Error(body.error?.message ?? `The web server answered ${response.status}.`);
  error.name = body.error?.code ?? "Error";
  return authErrorFrom(error);
}

async function session(response: Response, email = ""): Promise<Session> {
  const { idToken } = (await response.json()) as { idToken: string };
  return sessionOf(idToken, email);
}

export async function logIn(email: string, password: string): Promise<Session> {
  const response = await post("login", { email, password });
  if (!response.ok) throw await refusal(response);
  return session(response, email);
}

/** A fresh ID token from the cookie; null when there is no session (never logged in here,
 * logged out, or revoked). */
export async function refresh(): Promise<Session | null> {
  const response = await post("refresh");
  if (response.status === 401) return null;
  if (!response.ok) throw await refusal(response);
  return session(response);
}

/** Revokes the refresh token and deletes the cookie. */
export async function logOut(): Promise<void> {
  const response = await post("logout");
  if (!response.ok) throw await refusal(response);
}
