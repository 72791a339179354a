// The HTTP rules of the session endpoints (app/api/session/*), pure so they are tested on
// their own: the refresh-token cookie's attributes, the cross-site request check, and the
// status each Cognito refusal answers with (issue 14, finding 5).

/** The cookie that holds Cognito's refresh token: JavaScript never reads it (httpOnly). */
export const REFRESH_COOKIE = "tasklane_refresh";
/** Only the session endpoints receive the cookie; pages and the API never see it. */
export const SESSION_PATH = "/api/session";
/** The app client's refresh-token validity (infra: `refresh_token_validity_days`). A cookie
 * that outlives its token only makes the next refresh answer 401. */
export const REFRESH_TOKEN_DAYS = 30;
/** Sent by the web app on every session request: a cross-site page cannot send a custom
 * header without a CORS preflight, which these endpoints never grant. */
export const SESSION_HEADER = "x-tasklane-session";

export interface CookieOptions {
  httpOnly: true;
  secure: boolean;
  sameSite: "strict";
  path: string;
  maxAge: number;
}

/** The refresh cookie's attributes: Secure whenever the browser speaks HTTPS (plain HTTP
 * only for the local stack on 127.0.0.1); `maxAge` 0 deletes it. */
export function refreshCookieOptions(https: boolean, maxAgeSeconds = REFRESH_TOKEN_DAYS * 86_400): CookieOptions {
  return { httpOnly: true, secure: https, sameSite: "strict", path: SESSION_PATH, maxAge: maxAgeSeconds };
}

/** Whether the browser reached us over HTTPS: behind the load balancer the app speaks HTTP,
 * and the balancer says what the browser used. */
export function isHttps(protocol: string, headers: Headers): boolean {
  return protocol === "https:" || headers.get("x-forwarded-proto") === "https";
}

/** Whether a state-changing request comes from a page of this site: the custom header must
 * be there, and an Origin (browsers send one with every POST) must name this host. */
export function fromThisSite(headers: Headers): boolean {
  if (headers.get(SESSION_HEADER) !== "1") return false;
  const origin = headers.get("origin");
  if (origin === null) return true; // not a browser: no ambient cookie to abuse
  const host = headers.get("host"); // the load balancer keeps the browser's Host
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The HTTP status of a Cognito refusal (by the error's name). Anything unknown is Cognito
 * failing us, not the caller: 502. */
export function statusOfCognitoError(name: string): number {
  switch (name) {
    case "InvalidParameterException":
    case "InvalidPasswordException":
      return 400;
    case "NotAuthorizedException":
    case "UserNotFoundException":
      return 401;
    case "UserNotConfirmedException":
    case "PasswordResetRequiredException":
      return 403;
    case "TooManyRequestsException":
    case "LimitExceededException":
      return 429;
    default:
      return 502;
  }
}

/** The project's one error shape. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export interface LogInInput {
  email: string;
  password: string;
}

/** A log-in body: an object with a non-empty e-mail and password of sane lengths. */
export function parseLogIn(body: unknown): LogInInput | null {
  if (typeof body !== "object" || body === null) return null;
  const { email, password } = body as Record<string, unknown>;
  if (typeof email !== "string" || typeof password !== "string") return null; // pragma: allowlist secret - a type check
  const trimmed = email.trim();
  if (!trimmed || trimmed.length > 254 || !password || password.length > 256) return null;
  return { email: trimmed, password };
}
