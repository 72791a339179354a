// POST /api/session/refresh: a fresh ID token from the refresh-token cookie (a page load, or
// shortly before the ID token expires). 401 when there is no session or Cognito ended it.
import type { NextRequest } from "next/server";
import { refresh } from "@/lib/server/cognito";
import { errorBody } from "@/lib/server/session-http";
import { answer, cognitoFailure, forget, refreshTokenOf, refuseCrossSite, signedIn } from "@/lib/server/session-routes";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest) {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const token = refreshTokenOf(request);
  if (!token) return answer(401, errorBody("NoSession", "Not logged in."));
  try {
    return signedIn(request, await refresh(token));
  } catch (error) {
    const failed = cognitoFailure(error);
    // Revoked or expired: the cookie is useless from now on.
    return failed.status === 401 ? forget(request, failed) : failed;
  }
}
