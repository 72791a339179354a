import { defineConfig } from "@playwright/test";

// Debian's Chromium (Playwright never downloads a browser here); see TOOLCHAIN.md.
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export default defineConfig({
  testDir: process.env.PLAYWRIGHT_DIR || "e2e",
  workers: 1,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 15_000 },
  outputDir: "test-results/playwright",
  reporter: [["list"]],
  use: {
    baseURL: process.env.WEB_URL || "http://127.0.0.1:3000",
    // A user in Berlin: due times are entered and shown there, stored in UTC.
    timezoneId: "Europe/Berlin",
    locale: "en-GB",
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
