// What the session endpoints (app/api/session/*) answer: the ID token in the JSON body, the
// refresh token in the httpOnly cookie, errors in the project's one shape.
import { NextResponse, type NextRequest } from "next/server";
import type { Tokens } from "./cognito";
import { errorBody, fromThisSite, isHttps, REFRESH_COOKIE, refreshCookieOptions, statusOfCognitoError } from "./session-http";

const NO_STORE = { "Cache-Control": "no-store" };

export function answer(status: number, body?: unknown): NextResponse {
  return body === undefined ? new NextResponse(null, { status, headers: NO_STORE }) : NextResponse.json(body, { status, headers: NO_STORE });
}

/** 403 for a request that does not come from a page of this site (CSRF), else null. */
export function refuseCrossSite(request: NextRequest): NextResponse | null {
  return fromThisSite(request.headers) ? null : answer(403, errorBody("CrossSiteRequest", "Session requests come from this site's pages only."));
}

export function refreshTokenOf(request: NextRequest): string | null {
  return request.cookies.get(REFRESH_COOKIE)?.value || null;
}

/** 200 with the ID token; a new refresh token (log-in, rotation) goes into the cookie. */
export function signedIn(request: NextRequest, tokens: Tokens): NextResponse {
  const response = answer(200, { idToken: tokens.idToken });
  if (tokens.refreshToken) {
    response.cookies.set(REFRESH_COOKIE, tokens.refreshToken, refreshCookieOptions(isHttps(request.nextUrl.protocol, request.headers)));
  }
  return response;
}

export function forget(request: NextRequest, response: NextResponse): NextResponse {
  response.cookies.set(REFRESH_COOKIE, "", refreshCookieOptions(isHttps(request.nextUrl.protocol, request.headers), 0));
  return response;
}

/** A Cognito error as the project's error answer; Cognito's message is kept for the caller
 * to show (the web app words the known ones itself). */
export function cognitoFailure(error: unknown): NextResponse {
  const name = error instanceof Error ? error.name : "Error";
  const status = name === "ChallengeRequired" ? 403 : statusOfCognitoError(name);
  const message = status === 502 ? "Could not reach the sign-in service." : error instanceof Error ? error.message : String(error);
  if (status === 502) console.error("session endpoint: Cognito failed", error);
  return answer(status, errorBody(name, message));
}
