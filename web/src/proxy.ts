// Every page's Content-Security-Policy, with a fresh nonce that Next.js puts on its own
// scripts (it reads the nonce from the request's policy), and HSTS when served over HTTPS.
import { NextResponse, type NextRequest } from "next/server";
import { awsOriginsFrom, contentSecurityPolicy, HSTS } from "@/lib/security-headers";
import { apiUrl } from "@/lib/server/env";
import { isHttps } from "@/lib/server/session-http";

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const https = isHttps(request.nextUrl.protocol, request.headers);
  const policy = contentSecurityPolicy({
    nonce,
    apiUrl: apiUrl(),
    awsOrigins: awsOriginsFrom(process.env.TASKLANE_WEB_AWS_ORIGINS),
    https,
    development: process.env.NODE_ENV === "development",
  });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  // Pages only: static files need no policy (next.config.ts gives them the fixed headers).
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|icon.svg|apple-icon.png).*)" }],
};
