// Data in and out (issue 18): how jobs are polled (back-off, stop when they end, through the
// real client and a real query cache), the generic CSV's header and column mapping as the
// import page checks it before uploading, and the webhook form's events and URL rules.
import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Api } from "@/lib/api/client";
import { ApiError } from "@/lib/api/errors";
import type { Export } from "@/lib/api/types";
import { guessMapping, mappingProblems, readHeader, sniffDelimiter, toColumnMapping, type MappingDraft } from "@/lib/exchange/mapping";
import { isActive, jobRefetchInterval, MAX_POLL_MS, pollDelay } from "@/lib/exchange/polling";
import { ALL_EVENTS, eventsBody, eventsProblem, eventsSummary, urlProblem } from "@/lib/exchange/webhooks";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function exportJob(status: Export["status"], tasks = 0): Export {
  return {
    id: "01JEXPORT000000000000000000",
    project_id: null,
    status,
    progress: { tasks, files: 0 },
    summary: status === "ready" ? { tasks, files: 0, projects: 1, size: 1234, file_bytes: 0, missing_files: 0 } : null,
    download: status === "ready" ? { url: "http://s3/zip", expires_at: "2026-12-01T00:05:00.000Z" } : null,
    error: null,
    created_at: "2026-12-01T00:00:00.000Z",
    updated_at: "2026-12-01T00:00:00.000Z",
    started_at: null,
    finished_at: null,
    expires_at: "2026-12-08T00:00:00.000Z",
  };
}

describe("polling a job", () => {
  it("backs off by half each time, up to 10 seconds", () => {
    expect([0, 1, 2, 3, 4].map(pollDelay)).toEqual([1000, 1500, 2250, 3375, 5063]);
    expect(pollDelay(6)).toBe(MAX_POLL_MS);
    expect(pollDelay(50)).toBe(MAX_POLL_MS);
    expect(pollDelay(-1)).toBe(1000);
  });

  it("stops once the job has ended, and never polls an import waiting for its file", () => {
    const at = (status: Export["status"] | "awaiting_upload" | "done", count = 1) =>
      jobRefetchInterval({ state: { data: { status } as { status: Export["status"] }, dataUpdateCount: count } });
    expect(at("queued")).toBe(1000);
    expect(at("running", 3)).toBe(2250);
    expect([at("ready"), at("failed"), at("done"), at("awaiting_upload")]).toEqual([false, false, false, false]);
    expect(jobRefetchInterval({ state: { data: undefined, dataUpdateCount: 0 } })).toBe(false);
    expect([isActive("queued"), isActive("running"), isActive("ready"), isActive(undefined)]).toEqual([true, true, false, false]);
  });

  it("asks GET /exports/{id} less and less often and not at all once it is ready", async () => {
    vi.useFakeTimers();
    const answers = [exportJob("queued"), exportJob("running", 10), exportJob("running", 40), exportJob("ready", 50)];
    const times: number[] = [];
    const start = Date.now();
    vi.stubGlobal("fetch", async (request: Request) => {
      expect(new URL(request.url).pathname).toBe("/exports/01JEXPORT000000000000000000");
      times.push(Date.now() - start);
      const body = answers[Math.min(times.length - 1, answers.length - 1)];
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    });
    const api = new Api("http://api", async () => "token");
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const observer = new QueryObserver(client, { queryKey: ["exports", "x"], queryFn: () => api.getExport("01JEXPORT000000000000000000"), refetchInterval: jobRefetchInterval });
    const seen: string[] = [];
    const stop = observer.subscribe((result) => {
      if (result.data && seen.at(-1) !== `${result.data.status}:${result.data.progress.tasks}`) seen.push(`${result.data.status}:${result.data.progress.tasks}`);
    });
    await vi.advanceTimersByTimeAsync(60_000);
    stop();
    client.clear();
    expect(seen).toEqual(["queued:0", "running:10", "running:40", "ready:50"]);
    expect(times).toEqual([0, 1000, 2500, 4750]);
  });

  it("says plainly when three exports are running already", () => {
    const error = ApiError.fromResponse(429, { error: { code: "too_many_jobs", message: "you have 3 exports running; wait for one to finish", details: { limit: 3 } } });
    expect(error.message).toBe("Too many exports at once: you have 3 exports running; wait for one to finish.");
  });
});

describe("a CSV's header", () => {
  it("is the first record: quotes, doubled quotes, a delimiter inside quotes, a byte-order mark", () => {
    expect(readHeader('\uFEFFTask, "Notes, long","Say ""hi""",Due date\r\nA,b,c,d', ",")).toEqual(["Task", "Notes, long", 'Say "hi"', "Due date"]);
    expect(readHeader('"Multi\nline",B\nx,y', ",")).toEqual(["Multi\nline", "B"]);
    expect(readHeader("Titel;Fällig;Schlagwörter\nx;y;z", ";")).toEqual(["Titel", "Fällig", "Schlagwörter"]);
  });

  it("is refused when the sample ends inside a quote or holds no names", () => {
    expect(readHeader('"Task,Notes', ",")).toBeNull();
    expect(readHeader("\n", ",")).toBeNull();
    expect(readHeader("", ",")).toBeNull();
  });

  it("tells its delimiter from the first line, outside quotes", () => {
    expect(sniffDelimiter("a;b;c\n1,2,3,4,5")).toBe(";");
    expect(sniffDelimiter('"a;b;c",d,e')).toBe(",");
    expect(sniffDelimiter("a\tb\tc")).toBe("\t");
    expect(sniffDelimiter("only")).toBe(",");
  });
});

describe("the column mapping", () => {
  const headers = ["Ref", "Task", "Notes", "Due date", "Tags", "List", "Prio", "Whatever"];

  it("guesses the usual names, case and spaces aside, each column once", () => {
    const draft = guessMapping([" TASK ", "Notes", "Due Date", "tags", "Name"], ";");
    expect(draft.columns).toMatchObject({ title: " TASK ", description: "Notes", due: "Due Date", labels: "tags", status: "", id: "" });
    expect(draft.delimiter).toBe(";");
  });

  it("needs a title, columns the file has, and one field per column", () => {
    const draft: MappingDraft = { ...guessMapping(headers), delimiter: "," };
    expect(mappingProblems(draft, headers)).toEqual([]);
    const broken: MappingDraft = { ...draft, columns: { ...draft.columns, title: "", status: "State", labels: "Notes" } };
    expect(mappingProblems(broken, headers)).toEqual([
      { field: "title", message: "Choose the column that holds each task's title." },
      { field: "status", message: "The file has no column “State”." },
      { field: "labels", message: "One column cannot be both Description and Labels." },
    ]);
    expect(mappingProblems({ ...draft, delimiter: '"' }, headers)).toEqual([{ field: "delimiter", message: "The delimiter must be one character, not a quote or a line break." }]);
    // The API compares names case-insensitively with spaces trimmed: so does the check.
    expect(mappingProblems({ ...draft, columns: { ...draft.columns, title: " task" } }, headers)).toEqual([]);
  });

  it("sends only the chosen columns, and a date format only with a due column", () => {
    const draft = guessMapping(headers);
    expect(toColumnMapping({ ...draft, dateFormat: "%d/%m/%Y" })).toEqual({
      title: "Task",
      description: "Notes",
      priority: "Prio",
      due: "Due date",
      labels: "Tags",
      project: "List",
      id: "Ref",
      delimiter: ",",
      date_format: "%d/%m/%Y",
    });
    expect(toColumnMapping({ ...draft, dateFormat: "%d/%m/%Y", columns: { ...draft.columns, due: "" } })).not.toHaveProperty("date_format");
  });
});

describe("a webhook's events and URL", () => {
  it("sends every event as null (later events included) and a choice in a stable order", () => {
    expect(eventsBody(true, new Set(["task.created"]))).toBeNull();
    expect(eventsBody(false, new Set(["task.completed", "comment.created", "task.created"]))).toEqual(["task.created", "task.completed", "comment.created"]);
    expect(eventsProblem(false, new Set())).toBe("Choose at least one event, or every event.");
    expect(eventsProblem(true, new Set())).toBeNull();
    expect(new Set(ALL_EVENTS).size).toBe(14);
    expect(ALL_EVENTS).not.toContain("webhook.ping");
  });

  it("summarises the events in a row", () => {
    expect(eventsSummary(null)).toBe("Every event");
    expect(eventsSummary(["task.created", "task.completed"])).toBe("task.created, task.completed");
    expect(eventsSummary(["a", "b", "c", "d", "e"])).toBe("a, b, c and 2 more");
  });

  it("takes https only (http to loopback in local mode), never credentials", () => {
    expect(urlProblem("https://hooks.example.com/tasklane")).toBeNull();
    expect(urlProblem("http://hooks.example.com/tasklane")).toBe("The URL must start with https://.");
    expect(urlProblem("http://127.0.0.1:9000/hook")).toBe("The URL must start with https://.");
    expect(urlProblem("http://127.0.0.1:9000/hook", true)).toBeNull();
    expect(urlProblem("http://hooks.example.com/", true)).toBe("The URL must start with https://.");
    expect(urlProblem("https://user:pw@example.com/")).toBe("The URL must not contain a user name or password.");
    expect(urlProblem("example.com/hook")).toBe("Enter a full URL, such as https://example.com/hooks/tasklane.");
    expect(urlProblem("ftp://example.com/")).toBe("The URL must start with https://.");
  });
});
