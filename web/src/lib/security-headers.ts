// The security headers of every web response (issue 14, finding 4). The Content-Security-Policy
// is made per request (src/proxy.ts) because it carries a fresh nonce for Next.js's own inline
// scripts and names the API, whose address the server learns at run time; the fixed headers
// are in next.config.ts, so static files carry them too.

/** Headers that do not depend on the request: on every response (next.config.ts). */
export const FIXED_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // For browsers without CSP's frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

/** Sent only over HTTPS: a browser that saw it never uses plain HTTP for the site again. */
export const HSTS = "max-age=63072000; includeSubDomains";

export type PolicyInput = {
  nonce: string;
  /** The API's origin (TASKLANE_API_URL). */
  apiUrl: string;
  /** Origins of the AWS services the browser calls itself: Cognito, S3 for uploads and previews. */
  awsOrigins: readonly string[];
  https: boolean;
  /** `next dev` needs eval for its error overlay; a production server never does. */
  development: boolean;
};

function origin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The Content-Security-Policy of a page. Inline styles stay allowed: React sets style
 * attributes (drag and drop transforms) and Radix injects style elements; scripts run only
 * from this site or with the request's nonce. */
export function contentSecurityPolicy({ nonce, apiUrl, awsOrigins, https, development }: PolicyInput): string {
  const api = origin(apiUrl);
  // The API's host serves the live-updates socket locally (`tasklane dev`: ws://…/realtime);
  // in AWS the WebSocket API has its own host, among the AWS origins.
  const socket = api ? api.replace(/^http/, "ws") : null;
  const remote = [api, socket, ...awsOrigins.map(origin)].filter((o): o is string => o !== null);
  const connect = ["'self'", ...new Set(remote)].join(" ");
  const aws = [...new Set(awsOrigins.map(origin).filter((o): o is string => o !== null))].join(" ");
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' blob: data:${aws ? ` ${aws}` : ""}`,
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "manifest-src 'self'",
    "worker-src 'self' blob:",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** TASKLANE_WEB_AWS_ORIGINS: space-separated origins; unset, any AWS endpoint over HTTPS
 * (a CSP source may not name a region it does not know). */
export function awsOriginsFrom(value: string | undefined): string[] {
  const listed = (value ?? "").split(/\s+/).filter(Boolean);
  return listed.length ? listed : ["https://*.amazonaws.com"];
}
