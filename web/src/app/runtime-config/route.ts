// Where the API is, read from the server's environment at request time (not at build time):
// the one value the browser needs before it can ask the API's GET /config for the rest.
export const dynamic = "force-dynamic";

export function GET() {
  const apiUrl = process.env.TASKLANE_API_URL || "http://127.0.0.1:8000";
  return Response.json({ apiUrl }, { headers: { "Cache-Control": "no-store" } });
}
