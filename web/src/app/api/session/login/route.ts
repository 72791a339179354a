// POST /api/session/login {email, password}: logs in with Cognito from the server; answers
// the ID token and sets the refresh token as an httpOnly cookie (issue 14, finding 5).
import type { NextRequest } from "next/server";
import { logIn } from "@/lib/server/cognito";
import { errorBody, parseLogIn } from "@/lib/server/session-http";
import { answer, cognitoFailure, refuseCrossSite, signedIn } from "@/lib/server/session-routes";

export const dynamic = "force-dynamic";

/** A log-in body is two short strings: anything longer is refused unread. */
const MAX_BODY = 4096;

export async function POST(request: NextRequest) {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY) return answer(413, errorBody("TooLarge", "The request is too large."));
  const text = await request.text();
  if (text.length > MAX_BODY) return answer(413, errorBody("TooLarge", "The request is too large."));
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // answered below as any other invalid body
  }
  const input = parseLogIn(body);
  if (!input) return answer(400, errorBody("InvalidParameterException", "An e-mail and a password are required."));
  try {
    return signedIn(request, await logIn(input.email, input.password));
  } catch (error) {
    return cognitoFailure(error);
  }
}
