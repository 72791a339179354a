// Runtime configuration. The web server knows only where the API is (TASKLANE_API_URL, read
// at request time by app/runtime-config/route.ts); everything else — region, user pool, app
// client, Cognito endpoint — comes from the API's GET /config. One build, every environment.
import type { ClientConfig } from "@/lib/api/types";

export interface RuntimeConfig {
  apiUrl: string;
}

export interface AppConfig extends ClientConfig {
  /** The API runs on emulated AWS (a Cognito endpoint of its own): `make run`. */
  localMode: boolean;
}

let loading: Promise<AppConfig> | null = null;

async function fetchJson<T>(url: string, what: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store" });
  } catch {
    throw new Error(`Could not reach ${what} at ${url}.`);
  }
  if (!response.ok) throw new Error(`${what} answered ${response.status} at ${url}.`);
  return (await response.json()) as T;
}

export function loadConfig(): Promise<AppConfig> {
  loading ??= (async () => {
    const runtime = await fetchJson<RuntimeConfig>("/runtime-config", "the web server");
    const client = await fetchJson<ClientConfig>(`${runtime.apiUrl.replace(/\/$/, "")}/config`, "the API");
    return { ...client, api_url: runtime.apiUrl.replace(/\/$/, ""), localMode: client.cognito_endpoint !== null };
  })();
  loading.catch(() => {
    loading = null; // try again next time
  });
  return loading;
}
