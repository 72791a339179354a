// Error answers in words a person can act on. One shape comes back from the API
// ({"error": {"code", "message", "details"}}); API Gateway's own 401/413 say {"message"}.

export interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
  message?: string;
}

const STATUS_WORDS: Record<number, string> = {
  400: "The request was refused",
  401: "Your session has ended: please log in again.",
  403: "Your role in this project does not allow this.",
  404: "Not found, or you no longer have access to it.",
  409: "This conflicts with the current state",
  412: "This task changed since you opened it.",
  413: "Too large",
  415: "Unsupported content",
  422: "Some values are not valid",
  429: "Too many requests: wait a moment and try again.",
};

const LIMIT_CODES = new Set(["limit_reached", "rate_limited"]);

function describeDetails(details: unknown): string {
  if (Array.isArray(details)) {
    return details
      .map((d: { loc?: unknown[]; message?: string; msg?: string }) => {
        const loc = (d.loc ?? []).filter((p) => p !== "body").join(".");
        const text = d.message ?? d.msg ?? "";
        return loc ? `${loc}: ${text}` : text;
      })
      .filter(Boolean)
      .join("; ");
  }
  if (details && typeof details === "object") {
    return Object.entries(details as Record<string, unknown>)
      .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join("; ");
  }
  return "";
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  static fromResponse(status: number, body: ErrorBody | null | undefined): ApiError {
    const code = body?.error?.code ?? (status === 401 ? "unauthorized" : "error");
    const serverMessage = body?.error?.message ?? body?.message ?? "";
    const details = describeDetails(body?.error?.details);
    let text: string;
    if (LIMIT_CODES.has(code) && serverMessage) {
      // A per-user quota: the server's sentence says which and until when; retrying soon
      // cannot help, so not "wait a moment" (docs/api.md, "Limits").
      text = `Limit reached: ${serverMessage}`;
    } else if ([401, 403, 404, 412, 429].includes(status)) {
      text = STATUS_WORDS[status] ?? serverMessage;
    } else {
      const lead = STATUS_WORDS[status] ?? `The server answered ${status}`;
      text = [serverMessage ? `${lead}: ${serverMessage}` : lead, details].filter(Boolean).join(" — ");
    }
    return new ApiError(status, code, text, body?.error?.details ?? null);
  }
}

/** A per-user quota refused the request (409 `limit_reached`, 429 `rate_limited`): a retry
 * will not succeed until something is removed, or the day is over. */
export function isLimitError(error: unknown): boolean {
  return error instanceof ApiError && LIMIT_CODES.has(error.code);
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** What the UI shows for any error: the API's words, or what went wrong on the way. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "Could not reach the server. Check your connection and try again.";
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
