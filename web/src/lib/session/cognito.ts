// Amazon Cognito's steps before a session exists — sign-up, confirmation, password reset —
// called from the browser with the AWS SDK v3 (locally: moto, at the endpoint GET /config
// names); the SDK is imported on first use. Logging in, refreshing and logging out go
// through the web server instead (./endpoints.ts), so the refresh token never reaches this
// page's JavaScript (issue 14, finding 5).
import type { ClientConfig } from "@/lib/api/types";

/** The signed-in session as the page knows it: in memory only, never in storage. */
export interface Session {
  email: string;
  idToken: string;
  /** When the ID token expires (ms since the epoch). */
  expiresAt: number;
}

/** Refresh this long before the ID token expires. */
const REFRESH_MARGIN_MS = 60_000;

const COGNITO_WORDS: Record<string, string> = {
  NotAuthorizedException: "Wrong e-mail or password.",
  UserNotConfirmedException: "This account is not confirmed yet: enter the code we sent you.",
  UsernameExistsException: "An account with this e-mail already exists.",
  InvalidPasswordException: "The password does not meet the rules", // pragma: allowlist secret - a message, not a password
  CodeMismatchException: "That code is not right.",
  ExpiredCodeException: "That code has expired: ask for a new one.",
  UserNotFoundException: "No account with this e-mail.",
  LimitExceededException: "Too many attempts: wait a little and try again.",
  TooManyRequestsException: "Too many attempts: wait a little and try again.",
  InvalidParameterException: "Some values are not valid",
};

export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

export function authErrorFrom(error: unknown): AuthError {
  const name = error instanceof Error ? error.name : "Error";
  const raw = error instanceof Error ? error.message : String(error);
  const words = COGNITO_WORDS[name];
  if (!words) return new AuthError(name, raw || "Could not reach the sign-in service.");
  const detail = name === "InvalidPasswordException" || name === "InvalidParameterException" ? `: ${raw}` : "";
  return new AuthError(name, words + detail);
}

/** A JWT's payload, unverified (Cognito and the API verify; the app only reads). */
export function jwtClaims(jwt: string): { sub?: string; exp?: number; email?: string } {
  const payload = jwt.split(".")[1] ?? "";
  try {
    return JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=")));
  } catch {
    return {};
  }
}

export function tokenExpiry(jwt: string): number {
  return (jwtClaims(jwt).exp ?? 0) * 1000;
}

const HOME = "/projects/inbox";

/** Where to go after logging in: `next` if it is a page of this site, else the Inbox.
 * `next` is resolved as the browser would resolve it (the URL parser drops tabs and new
 * lines, reads "\\" as "/", decodes nothing twice), and kept only when it lands on this
 * origin: a pattern on the raw text let "/\t/evil.example" through (issue 14, finding 4). */
export function afterLogIn(next: string | null, origin: string = window.location.origin): string {
  if (!next || !next.startsWith("/")) return HOME;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return HOME;
  }
  // The resolved path is handed to the router again: "/.//evil.example" resolves to the
  // path "//evil.example", another site once more. Only a path with one leading "/" leaves.
  if (url.origin !== origin || url.pathname.startsWith("//")) return HOME;
  return `${url.pathname}${url.search}${url.hash}`;
}

export function sessionOf(idToken: string, email = ""): Session {
  return { email: jwtClaims(idToken).email ?? email, idToken, expiresAt: tokenExpiry(idToken) };
}

export function needsRefresh(session: Session, now = Date.now()): boolean {
  return session.expiresAt - REFRESH_MARGIN_MS <= now;
}

async function cognito(config: ClientConfig) {
  const sdk = await import("@aws-sdk/client-cognito-identity-provider");
  const client = new sdk.CognitoIdentityProviderClient({
    region: config.region,
    endpoint: config.cognito_endpoint ?? undefined,
    // The calls below are unauthenticated: Cognito needs no AWS credentials for them.
    credentials: { accessKeyId: "unused", secretAccessKey: "unused" }, // pragma: allowlist secret - a placeholder
  });
  return { sdk, client };
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw authErrorFrom(error);
  }
}

export async function signUp(config: ClientConfig, email: string, password: string, name: string): Promise<void> {
  const { sdk, client } = await cognito(config);
  const attributes = [{ Name: "email", Value: email }];
  if (name) attributes.push({ Name: "name", Value: name });
  await call(() =>
    client.send(
      new sdk.SignUpCommand({ ClientId: config.client_id, Username: email, Password: password, UserAttributes: attributes }),
    ),
  );
}

export async function confirmSignUp(config: ClientConfig, email: string, code: string): Promise<void> {
  const { sdk, client } = await cognito(config);
  await call(() =>
    client.send(new sdk.ConfirmSignUpCommand({ ClientId: config.client_id, Username: email, ConfirmationCode: code })),
  );
}

export async function resendCode(config: ClientConfig, email: string): Promise<void> {
  const { sdk, client } = await cognito(config);
  await call(() => client.send(new sdk.ResendConfirmationCodeCommand({ ClientId: config.client_id, Username: email })));
}

export async function forgotPassword(config: ClientConfig, email: string): Promise<void> {
  const { sdk, client } = await cognito(config);
  await call(() => client.send(new sdk.ForgotPasswordCommand({ ClientId: config.client_id, Username: email })));
}

export async function resetPassword(config: ClientConfig, email: string, code: string, password: string): Promise<void> {
  const { sdk, client } = await cognito(config);
  await call(() =>
    client.send(
      new sdk.ConfirmForgotPasswordCommand({
        ClientId: config.client_id,
        Username: email,
        ConfirmationCode: code,
        Password: password,
      }),
    ),
  );
}
