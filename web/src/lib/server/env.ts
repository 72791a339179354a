// The web server's environment, read at request time (one build serves every stack).

/** Where the API is (TASKLANE_API_URL), without a trailing slash. */
export function apiUrl(): string {
  return (process.env.TASKLANE_API_URL || "http://127.0.0.1:8000").replace(/\/$/, "");
}
