// Where the API is, read from the server's environment at request time (not at build time):
// the one value the browser needs before it can ask the API's GET /config for the rest.
import { apiUrl } from "@/lib/server/env";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ apiUrl: apiUrl() }, { headers: { "Cache-Control": "no-store" } });
}
