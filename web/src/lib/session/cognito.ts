// Amazon Cognito, called directly from the browser with the AWS SDK v3 (locally: moto, at the
// endpoint GET /config names). The SDK is imported on first use so pages that only need a
// stored token do not download it.
import type { ClientConfig } from "@/lib/api/types";

export interface Session {
  email: string;
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** When the ID token expires (ms since the epoch). */
  expiresAt: number;
}

const STORAGE_KEY = "tasklane.session";
/** Refresh this long before the ID token expires. */
const REFRESH_MARGIN_MS = 60_000;

const COGNITO_WORDS: Record<string, string> = {
  NotAuthorizedException: "Wrong e-mail or password.",
  UserNotConfirmedException: "This account is not confirmed yet: enter the code we sent you.",
  UsernameExistsException: "An account with this e-mail already exists.",
  InvalidPasswordException: "The password does not meet the rules",
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

/** Where to go after logging in: `next` if it is a path of this site, else the Inbox. */
export function afterLogIn(next: string | null): string {
  // "//host" and "/\host" are other sites to a browser.
  return next && /^\/(?![/\\])/.test(next) ? next : "/projects/inbox";
}

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(STORAGE_KEY);
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
    credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
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

export async function logIn(config: ClientConfig, email: string, password: string): Promise<Session> {
  const { sdk, client } = await cognito(config);
  const answer = await call(() =>
    client.send(
      new sdk.InitiateAuthCommand({
        ClientId: config.client_id,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    ),
  );
  const result = answer.AuthenticationResult;
  if (!result?.IdToken || !result.AccessToken || !result.RefreshToken) {
    throw new AuthError("ChallengeRequired", `This account needs a step this app does not support (${answer.ChallengeName ?? "unknown"}).`);
  }
  return {
    email,
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken,
    expiresAt: tokenExpiry(result.IdToken),
  };
}

/** New ID and access tokens from the refresh token; throws when the session has ended. */
export async function refresh(config: ClientConfig, session: Session): Promise<Session> {
  const { sdk, client } = await cognito(config);
  const answer = await call(() =>
    client.send(
      new sdk.InitiateAuthCommand({
        ClientId: config.client_id,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: session.refreshToken },
      }),
    ),
  );
  const result = answer.AuthenticationResult;
  if (!result?.IdToken || !result.AccessToken) throw new AuthError("NotAuthorizedException", "Your session has ended.");
  return {
    ...session,
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken ?? session.refreshToken,
    expiresAt: tokenExpiry(result.IdToken),
  };
}

/** Ends every session of the user (Cognito revokes the refresh tokens). */
export async function globalSignOut(config: ClientConfig, session: Session): Promise<void> {
  const { sdk, client } = await cognito(config);
  await call(() => client.send(new sdk.GlobalSignOutCommand({ AccessToken: session.accessToken })));
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
