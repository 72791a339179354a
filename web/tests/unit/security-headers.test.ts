import { describe, expect, it } from "vitest";
import { awsOriginsFrom, contentSecurityPolicy, FIXED_HEADERS } from "@/lib/security-headers";

const base = { nonce: "abc", apiUrl: "https://api.example.com/prod/", awsOrigins: ["https://cognito-idp.eu-west-1.amazonaws.com"], https: true, development: false };

function directives(policy: string): Map<string, string> {
  return new Map(policy.split("; ").map((d) => [d.split(" ")[0] ?? "", d.slice(d.indexOf(" ") + 1)]));
}

describe("contentSecurityPolicy", () => {
  it("allows this site, the request's nonce, the API (and its socket) and the named AWS origins only", () => {
    const policy = directives(contentSecurityPolicy(base));
    expect(policy.get("script-src")).toBe("'self' 'nonce-abc' 'strict-dynamic'");
    expect(policy.get("connect-src")).toBe(
      "'self' https://api.example.com wss://api.example.com https://cognito-idp.eu-west-1.amazonaws.com",
    );
    expect(directives(contentSecurityPolicy({ ...base, apiUrl: "http://127.0.0.1:8000" })).get("connect-src")).toContain(
      "ws://127.0.0.1:8000",
    );
    expect(policy.get("frame-ancestors")).toBe("'none'");
    expect(policy.get("object-src")).toBe("'none'");
    expect(policy.has("upgrade-insecure-requests")).toBe(true);
  });
  it("upgrades nothing over plain HTTP (local), and eval only for next dev", () => {
    expect(contentSecurityPolicy({ ...base, https: false })).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy(base)).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy({ ...base, development: true })).toContain("'unsafe-eval'");
  });
  it("drops an address that is not a URL rather than widening the policy", () => {
    const policy = directives(contentSecurityPolicy({ ...base, apiUrl: "not a url", awsOrigins: [] }));
    expect(policy.get("connect-src")).toBe("'self'");
  });
});

describe("the fixed headers and the AWS origins", () => {
  it("are what every response carries", () => {
    const names = FIXED_HEADERS.map((h) => h.key);
    expect(names).toEqual(expect.arrayContaining(["X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"]));
  });
  it("default to AWS over HTTPS when the server is not told", () => {
    expect(awsOriginsFrom(undefined)).toEqual(["https://*.amazonaws.com"]);
    expect(awsOriginsFrom(" http://127.0.0.1:5000  ")).toEqual(["http://127.0.0.1:5000"]);
  });
});
