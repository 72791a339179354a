// Cognito, called by the web server for the session endpoints (app/api/session/*): the
// refresh token is handled here and in an httpOnly cookie only, never by the page's
// JavaScript (issue 14, finding 5). Where Cognito is (region, app client, the local stack's
// endpoint) comes from the API's GET /config, read once per server process.
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { ClientConfig } from "@/lib/api/types";
import { apiUrl } from "./env";

let configuring: Promise<{ config: ClientConfig; client: CognitoIdentityProviderClient }> | null = null;

function cognito() {
  configuring ??= (async () => {
    const response = await fetch(`${apiUrl()}/config`, { cache: "no-store" });
    if (!response.ok) throw new CognitoUnavailable(`the API's /config answered ${response.status}`);
    const config = (await response.json()) as ClientConfig;
    const client = new CognitoIdentityProviderClient({
      region: config.region,
      endpoint: config.cognito_endpoint ?? undefined,
      // These calls are unauthenticated (the app client has no secret): no AWS credentials.
      credentials: { accessKeyId: "unused", secretAccessKey: "unused" }, // pragma: allowlist secret - a placeholder
    });
    return { config, client };
  })();
  configuring.catch(() => {
    configuring = null; // ask the API again on the next request
  });
  return configuring;
}

/** The API's configuration could not be read: the server cannot reach Cognito. */
export class CognitoUnavailable extends Error {
  override name = "CognitoUnavailable";
}

export interface Tokens {
  idToken: string;
  /** A new refresh token when Cognito rotates it (log-in always; a refresh maybe). */
  refreshToken: string | null;
}

/** Thrown when Cognito asks for a step the app does not support (MFA, a new password). */
export class ChallengeRequired extends Error {
  override name = "ChallengeRequired";
}

export async function logIn(email: string, password: string): Promise<Tokens & { refreshToken: string }> {
  const { config, client } = await cognito();
  const answer = await client.send(
    new InitiateAuthCommand({
      ClientId: config.client_id,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const result = answer.AuthenticationResult;
  if (!result?.IdToken || !result.RefreshToken) {
    throw new ChallengeRequired(`This account needs a step this app does not support (${answer.ChallengeName ?? "unknown"}).`);
  }
  return { idToken: result.IdToken, refreshToken: result.RefreshToken };
}

/** A new ID token from the refresh token; Cognito throws NotAuthorizedException once it is
 * revoked or expired. */
export async function refresh(refreshToken: string): Promise<Tokens> {
  const { config, client } = await cognito();
  const answer = await client.send(
    new InitiateAuthCommand({
      ClientId: config.client_id,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    }),
  );
  const result = answer.AuthenticationResult;
  if (!result?.IdToken) throw Object.assign(new Error("Your session has ended."), { name: "NotAuthorizedException" });
  return { idToken: result.IdToken, refreshToken: result.RefreshToken ?? null };
}

/** Revokes the refresh token and the access tokens issued with it (the app client has
 * token revocation enabled). */
export async function revoke(refreshToken: string): Promise<void> {
  const { config, client } = await cognito();
  await client.send(new RevokeTokenCommand({ ClientId: config.client_id, Token: refreshToken }));
}
