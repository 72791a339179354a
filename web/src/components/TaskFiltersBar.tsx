"use client";
import { useId } from "react";
import { LabelledSelect } from "./LabelledSelect";
import { DUE_WINDOWS, PRIORITY_LABELS, STATUS_LABELS, type DueWindow } from "@/lib/tasks";
import { PRIORITIES, STATUSES, type Priority, type SortKey, type SortOrder, type Status } from "@/lib/types";

export interface FilterState {
  status: Status | "";
  priority: Priority | "";
  label: string;
  due: DueWindow;
  sort: SortKey;
  order: SortOrder;
}

export const NO_FILTERS: FilterState = { status: "", priority: "", label: "", due: "any", sort: "created", order: "asc" };

export function TaskFiltersBar({ value, onChange, labels }: { value: FilterState; onChange: (next: FilterState) => void; labels: string[] }) {
  const id = useId();
  const set = <K extends keyof FilterState>(key: K) => (v: FilterState[K]) => onChange({ ...value, [key]: v });
  return (
    <div className="filters" role="group" aria-label="Filter and sort tasks">
      <LabelledSelect label="Status" value={value.status} onChange={set("status")} options={[["", "Any"], ...STATUSES.map((s): [Status, string] => [s, STATUS_LABELS[s]])]} />
      <LabelledSelect label="Priority" value={value.priority} onChange={set("priority")} options={[["", "Any"], ...PRIORITIES.map((p): [Priority, string] => [p, PRIORITY_LABELS[p]])]} />
      <div className="field">
        <label htmlFor={`${id}-label`}>Label</label>
        <input id={`${id}-label`} value={value.label} onChange={(e) => set("label")(e.target.value)} list={`${id}-labels`} size={12} />
        <datalist id={`${id}-labels`}>
          {labels.map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
      </div>
      <LabelledSelect label="Due" value={value.due} onChange={set("due")} options={Object.entries(DUE_WINDOWS) as [DueWindow, string][]} />
      <LabelledSelect label="Sort by" value={value.sort} onChange={set("sort")} options={[["created", "Created"], ["due", "Due date"], ["priority", "Priority"]]} />
      <LabelledSelect label="Order" value={value.order} onChange={set("order")} options={[["asc", "Ascending"], ["desc", "Descending"]]} />
    </div>
  );
}
