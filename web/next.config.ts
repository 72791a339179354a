import type { NextConfig } from "next";

// One build serves every environment: runtime configuration comes from the API's
// GET /config (see src/lib/config.ts), never from NEXT_PUBLIC_* variables.
const nextConfig: NextConfig = {
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
