import type { NextConfig } from "next";
import { FIXED_HEADERS } from "./src/lib/security-headers";

// One build serves every environment: runtime configuration comes from the API's
// GET /config (see src/lib/config.ts), never from NEXT_PUBLIC_* variables.
const nextConfig: NextConfig = {
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // The security headers that do not depend on the request, on every response; the
  // Content-Security-Policy and HSTS are per request (src/proxy.ts).
  async headers() {
    return [{ source: "/:path*", headers: [...FIXED_HEADERS] }];
  },
};

export default nextConfig;
