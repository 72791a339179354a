// POST /api/session/logout: revokes the refresh token with Cognito (and the access tokens
// issued with it), then deletes the cookie. 204 when revoked (or there was no session);
// 502 when Cognito could not be reached — the cookie is deleted all the same.
import type { NextRequest } from "next/server";
import { revoke } from "@/lib/server/cognito";
import { answer, cognitoFailure, forget, refreshTokenOf, refuseCrossSite } from "@/lib/server/session-routes";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest) {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const token = refreshTokenOf(request);
  if (!token) return forget(request, answer(204));
  try {
    await revoke(token);
  } catch (error) {
    const failed = cognitoFailure(error);
    // A token Cognito no longer knows is as good as revoked.
    return forget(request, failed.status === 401 || failed.status === 400 ? answer(204) : failed);
  }
  return forget(request, answer(204));
}
