"use client";
// The generic CSV's columns: which of the file's columns is the title, the due date, … (a
// first guess from their names), its delimiter and date spelling. Problems are shown at the
// field they concern before anything is uploaded.
import { useId } from "react";
import { DATE_FORMATS, DELIMITERS, MAPPED_FIELDS, type MappingDraft, type MappingProblem } from "@/lib/exchange/mapping";

interface Props {
  headers: readonly string[];
  draft: MappingDraft;
  problems: readonly MappingProblem[];
  onChange: (draft: MappingDraft) => void;
}

export function MappingStep({ headers, draft, problems, onChange }: Props) {
  const id = useId();
  const problemOf = (field: string) => problems.find((p) => p.field === field)?.message;
  return (
    <fieldset className="space-y-3 rounded-xl border border-line p-4">
      <legend className="px-1 font-semibold">Columns</legend>
      <p className="text-muted">
        The file&apos;s columns: {headers.map((h) => `“${h}”`).join(", ")}. Choose which one holds each field; only the title is required.
      </p>
      <div className="grid gap-3 sm:grid-cols-2">
        {MAPPED_FIELDS.map((info) => {
          const problem = problemOf(info.field);
          const fieldId = `${id}-${info.field}`;
          return (
            <div key={info.field} className="space-y-1">
              <label htmlFor={fieldId} className="block font-medium">
                {info.label}
                {info.field === "title" ? <span className="text-danger"> *</span> : null}
              </label>
              <select
                id={fieldId}
                value={draft.columns[info.field]}
                onChange={(e) => onChange({ ...draft, columns: { ...draft.columns, [info.field]: e.target.value } })}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem || info.hint ? `${fieldId}-hint` : undefined}
                className="w-full"
              >
                <option value="">{info.field === "title" ? "Choose a column" : "Not imported"}</option>
                {headers.map((header, index) => (
                  <option key={`${header}-${index}`} value={header}>
                    {header || `(column ${index + 1}, unnamed)`}
                  </option>
                ))}
              </select>
              {problem || info.hint ? (
                <p id={`${fieldId}-hint`} className={problem ? "text-xs text-danger" : "text-xs text-muted"}>
                  {problem ?? info.hint}
                </p>
              ) : null}
            </div>
          );
        })}
        <div className="space-y-1">
          <label htmlFor={`${id}-delimiter`} className="block font-medium">
            Delimiter
          </label>
          <select id={`${id}-delimiter`} value={draft.delimiter} onChange={(e) => onChange({ ...draft, delimiter: e.target.value })} className="w-full">
            {DELIMITERS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
          {problemOf("delimiter") ? <p className="text-xs text-danger">{problemOf("delimiter")}</p> : null}
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-dates`} className="block font-medium">
            Dates are written as
          </label>
          <select id={`${id}-dates`} value={draft.dateFormat} onChange={(e) => onChange({ ...draft, dateFormat: e.target.value })} disabled={!draft.columns.due} className="w-full">
            {DATE_FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
      </div>
    </fieldset>
  );
}
