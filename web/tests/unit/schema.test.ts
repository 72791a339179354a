// The hand-typed API types against the OpenAPI document the Python app generates
// (tests/web/test_web.py writes it and sets OPENAPI_JSON). Each record below must name every
// field of its TypeScript type (tsc checks that: Record<keyof T, true>); this test checks that
// every one of them is a property of the schema (the API serialises every field, defaults too).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type {
  Attachment,
  AttachmentDetail,
  ClientConfig,
  Comment,
  Counts,
  Download,
  Member,
  AppNotification,
  Profile,
  Project,
  SearchHit,
  Stats,
  Task,
  UploadForm,
} from "@/lib/types";

type Fields<T> = Record<keyof T, true>;

const task: Fields<Task> = {
  id: true, project_id: true, title: true, description: true, status: true,
  priority: true, due_at: true, labels: true, created_at: true, updated_at: true,
  completed_at: true, created_by: true, version: true, assignee_id: true,
};
const project: Fields<Project> = {
  id: true, name: true, description: true, is_inbox: true, owner_id: true,
  role: true, created_at: true, updated_at: true, version: true,
};
const attachment: Fields<Attachment> = {
  id: true, task_id: true, file_name: true, size: true, content_type: true,
  status: true, created_at: true, created_by: true, completed_at: true,
};
const attachmentDetail: Fields<AttachmentDetail> = { ...attachment, download: true };
const download: Fields<Download> = { url: true, expires_at: true, disposition: true };
const uploadForm: Fields<UploadForm> = { method: true, url: true, fields: true, expires_at: true, file_field: true };
const profile: Fields<Profile> = {
  user_id: true, email: true, display_name: true, time_zone: true,
  notifications: true, created_at: true, updated_at: true,
};
const searchHit: Fields<SearchHit> = { task: true, rank: true, highlights: true };
const counts: Fields<Counts> = {
  total: true, by_status: true, by_priority: true, overdue: true,
  due_today: true, due_this_week: true,
};
const stats: Fields<Stats> = { time_zone: true, as_of: true, total: true, projects: true };
const clientConfig: Fields<ClientConfig> = {
  region: true, user_pool_id: true, client_id: true, cognito_endpoint: true, api_url: true,
};
const member: Fields<Member> = { user_id: true, email: true, display_name: true, role: true, added_at: true };
const comment: Fields<Comment> = {
  id: true, task_id: true, author_id: true, body: true, created_at: true,
  updated_at: true, version: true,
};
const notification: Fields<AppNotification> = {
  id: true, kind: true, title: true, body: true, task_id: true, project_id: true,
  actor_id: true, url: true, created_at: true, read_at: true,
};

interface Schema {
  properties?: Record<string, unknown>;
}
interface Spec {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, Schema> };
}

function loadSpec(): Spec {
  const path = process.env.OPENAPI_JSON;
  if (!path) throw new Error("OPENAPI_JSON is not set: run through tests/web/test_web.py, which writes the API's spec");
  return JSON.parse(readFileSync(path, "utf8")) as Spec;
}

/** [schema name, our fields, the path whose presence means the schema must exist]. */
const CHECKS: [string, Record<string, true>, string | null][] = [
  ["Task", task, null],
  ["Project", project, null],
  ["Attachment", attachment, null],
  ["AttachmentDetail", attachmentDetail, null],
  ["Download", download, null],
  ["UploadForm", uploadForm, null],
  ["Profile", profile, null],
  ["SearchHit", searchHit, null],
  ["Counts", counts, null],
  ["Stats", stats, null],
  ["ClientConfig", clientConfig, null],
  ["Member", member, "/projects/{project_id}/members"],
  ["Comment", comment, "/tasks/{task_id}/comments"],
  ["Notification", notification, "/notifications"],
];

describe("TypeScript types match the API's OpenAPI schemas", () => {
  const spec = loadSpec();
  it.each(CHECKS)("%s", (name, fields, path) => {
    if (path && !(path in spec.paths)) return; // that part of the API is not there yet
    const schema = spec.components.schemas[name];
    expect(schema, `no schema ${name} in the spec`).toBeDefined();
    const properties = Object.keys(schema?.properties ?? {});
    for (const field of Object.keys(fields)) expect(properties, `${name}.${field}`).toContain(field);
  });

  it("Task carries assignee_id once sharing exists", () => {
    if (!("/projects/{project_id}/members" in spec.paths)) return;
    expect(Object.keys(spec.components.schemas.Task?.properties ?? {})).toContain("assignee_id");
  });
});
