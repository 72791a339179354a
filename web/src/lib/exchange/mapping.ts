// The generic CSV import's column mapping: the file's header read in the browser (only its
// first record), a first guess from the usual names, and the checks the API would make —
// said before anything is uploaded. Header names compare as the API compares them: case
// and surrounding spaces do not matter (docs/exchange.md).
import type { ColumnMapping } from "@/lib/api/types";

export type MappedField = "title" | "description" | "status" | "priority" | "due" | "labels" | "project" | "archived" | "checklist" | "id";

export interface FieldInfo {
  field: MappedField;
  label: string;
  hint: string;
  /** Lower-case header names that most likely mean this field. */
  synonyms: readonly string[];
}

export const MAPPED_FIELDS: readonly FieldInfo[] = [
  { field: "title", label: "Title", hint: "Required: every task needs one.", synonyms: ["title", "name", "task", "task name", "summary", "subject", "content"] },
  { field: "description", label: "Description", hint: "", synonyms: ["description", "notes", "note", "details", "body"] },
  { field: "status", label: "Status", hint: "open, doing, done, closed… are understood.", synonyms: ["status", "state"] },
  { field: "priority", label: "Priority", hint: "low, high, urgent, p1… are understood.", synonyms: ["priority", "prio"] },
  { field: "due", label: "Due date", hint: "", synonyms: ["due", "due date", "due_at", "deadline", "date"] },
  { field: "labels", label: "Labels", hint: "Separated by commas.", synonyms: ["labels", "label", "tags", "tag"] },
  { field: "project", label: "Project", hint: "Rows with the same value go to one new project.", synonyms: ["project", "list", "board"] },
  { field: "archived", label: "Archived", hint: "yes/no, true/false, 1/0, x.", synonyms: ["archived"] },
  { field: "checklist", label: "Checklist", hint: "One item per line.", synonyms: ["checklist", "steps", "subtasks"] },
  { field: "id", label: "Row id", hint: "A stable id per row: importing an edited file again recognises its rows.", synonyms: ["id", "ref", "key", "task id"] },
];

/** The date spellings offered (strptime, as the API reads them); "" is ISO 8601. */
export const DATE_FORMATS: readonly { value: string; label: string }[] = [
  { value: "", label: "ISO 8601 (2026-12-01, 2026-12-01T17:00)" },
  { value: "%d/%m/%Y", label: "Day/month/year (01/12/2026)" },
  { value: "%m/%d/%Y", label: "Month/day/year (12/01/2026)" },
  { value: "%d.%m.%Y", label: "Day.month.year (01.12.2026)" },
  { value: "%d/%m/%Y %H:%M", label: "Day/month/year with a time (01/12/2026 17:00)" },
  { value: "%m/%d/%Y %H:%M", label: "Month/day/year with a time (12/01/2026 17:00)" },
  { value: "%d.%m.%Y %H:%M", label: "Day.month.year with a time (01.12.2026 17:00)" },
];

export const DELIMITERS: readonly { value: string; label: string }[] = [
  { value: ",", label: "Comma (,)" },
  { value: ";", label: "Semicolon (;)" },
  { value: "\t", label: "Tab" },
  { value: "|", label: "Vertical bar (|)" },
];

/** A mapping being chosen: a column name (as the header spells it) per field, "" for none. */
export interface MappingDraft {
  columns: Record<MappedField, string>;
  delimiter: string;
  dateFormat: string;
}

export interface MappingProblem {
  field: MappedField | "delimiter";
  message: string;
}

export const HEADER_SAMPLE_BYTES = 64 * 1024;

function same(a: string): string {
  return a.trim().toLowerCase();
}

/** The delimiter the first line uses most outside quotes (a comma when none appears). */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d.value, 0]));
  let quoted = false;
  for (const char of text.replace(/^\uFEFF/, "")) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ",";
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

/** The first record of a CSV (RFC 4180 quoting: a quoted cell may hold the delimiter, `""`
 * and line breaks), trimmed, without a byte-order mark. Null when the sample ends inside a
 * quoted cell or holds no header at all. */
export function readHeader(text: string, delimiter: string): string[] | null {
  const source = text.replace(/^\uFEFF/, "");
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  let at = 0;
  for (; at < source.length; at++) {
    const char = source[at];
    if (quoted) {
      if (char === '"' && source[at + 1] === '"') {
        cell += '"';
        at++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      cells.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") break;
    else cell += char;
  }
  if (quoted) return null;
  cells.push(cell);
  const names = cells.map((c) => c.trim());
  return names.some(Boolean) ? names : null;
}

/** A first mapping from the header's names; the user changes what is wrong. */
export function guessMapping(headers: readonly string[], delimiter = ","): MappingDraft {
  const taken = new Set<string>();
  const columns = {} as Record<MappedField, string>;
  for (const info of MAPPED_FIELDS) {
    const match = headers.find((h) => !taken.has(same(h)) && info.synonyms.includes(same(h)));
    columns[info.field] = match ?? "";
    if (match) taken.add(same(match));
  }
  return { columns, delimiter, dateFormat: "" };
}

/** What the API would refuse, or what would import nothing useful, in words per field. */
export function mappingProblems(draft: MappingDraft, headers: readonly string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const known = new Set(headers.map(same));
  if (draft.delimiter.length !== 1 || ['"', "\n", "\r"].includes(draft.delimiter)) {
    problems.push({ field: "delimiter", message: "The delimiter must be one character, not a quote or a line break." });
  }
  if (!draft.columns.title.trim()) problems.push({ field: "title", message: "Choose the column that holds each task's title." });
  const users = new Map<string, MappedField[]>();
  for (const info of MAPPED_FIELDS) {
    const column = draft.columns[info.field];
    if (!column.trim()) continue;
    if (!known.has(same(column))) problems.push({ field: info.field, message: `The file has no column “${column}”.` });
    users.set(same(column), [...(users.get(same(column)) ?? []), info.field]);
  }
  for (const fields of users.values()) {
    if (fields.length < 2) continue;
    const names = fields.map((f) => MAPPED_FIELDS.find((i) => i.field === f)?.label ?? f);
    for (const field of fields.slice(1)) problems.push({ field, message: `One column cannot be both ${names.join(" and ")}.` });
  }
  return problems;
}

/** The `mapping` of `POST /imports` (only the columns chosen). */
export function toColumnMapping(draft: MappingDraft): ColumnMapping {
  const mapping: ColumnMapping = { title: draft.columns.title.trim(), delimiter: draft.delimiter };
  for (const info of MAPPED_FIELDS) {
    const column = draft.columns[info.field].trim();
    if (info.field !== "title" && column) mapping[info.field] = column;
  }
  if (draft.dateFormat && mapping.due) mapping.date_format = draft.dateFormat;
  return mapping;
}
