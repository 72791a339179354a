"use client";
// The Filter and Display popovers of a project view (loaded just after the list: not needed
// for its first paint). Every choice is URL state, applied by the page.
import * as Popover from "@radix-ui/react-popover";
import { ListFilter, SlidersHorizontal } from "lucide-react";
import { useEffect, useId, useState, type ReactNode } from "react";
import { buttonClass } from "@/components/ui/Button";
import { cx } from "@/components/ui/cx";
import { PRIORITIES, type Priority } from "@/lib/api/types";
import type { DueWindow } from "@/lib/tasks/ordering";
import type { GroupBy, ListSort, ViewState } from "@/lib/view-state";
import { PRIORITY_LABELS } from "./TaskMeta";
import { DUE_WINDOWS } from "./ViewControls";
const SORTS: Record<ListSort, string> = { board: "Board order", created: "Created", due: "Due date", priority: "Priority" };
const GROUPS: Record<GroupBy, string> = { status: "Status", due: "Due date", none: "No grouping" };

function Select<T extends string>({ label, value, options, onChange, disabled, hint }: { label: string; value: T; options: Record<T, string>; onChange: (v: T) => void; disabled?: boolean; hint?: string }) {
  const id = useId();
  return (
    <div className="grid grid-cols-[7rem_1fr] items-center gap-2">
      <label htmlFor={id} className="text-muted">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)} disabled={disabled} title={disabled ? hint : undefined} className="h-8 py-0">
        {(Object.entries(options) as [T, string][]).map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function Pop({ label, icon, children, active }: { label: string; icon: ReactNode; children: ReactNode; active?: boolean }) {
  return (
    <Popover.Root>
      <Popover.Trigger className={cx(buttonClass("ghost", "sm"), active && "text-accent")}>
        {icon}
        {label}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={6} className="z-50 w-72 animate-in space-y-2.5 rounded-lg border border-line bg-raised p-3 shadow-pop" aria-label={label}>
          {children}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

function LabelFilter({ value, onChange }: { value: string; onChange: (label: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  useEffect(() => {
    const timer = setTimeout(() => text !== value && onChange(text), 350);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <div className="grid grid-cols-[7rem_1fr] items-center gap-2">
      <label htmlFor={id} className="text-muted">
        Label
      </label>
      <input id={id} value={text} onChange={(e) => setText(e.target.value)} placeholder="any" className="h-8" />
    </div>
  );
}

interface PanelProps {
  state: ViewState;
  onChange: (next: Partial<ViewState>) => void;
  active?: boolean;
  ordered?: boolean;
}

export function FilterPopover({ state, onChange, active }: PanelProps) {
  return (
    <Pop label="Filter" icon={<ListFilter className="size-4" aria-hidden="true" />} active={active}>
      <Select<Priority | "any">
        label="Priority"
        value={state.priority ?? "any"}
        options={{ any: "Any", ...Object.fromEntries(PRIORITIES.map((p) => [p, PRIORITY_LABELS[p]])) } as Record<Priority | "any", string>}
        onChange={(v) => onChange({ priority: v === "any" ? null : v })}
      />
      <LabelFilter value={state.label} onChange={(label) => onChange({ label })} />
      <Select<DueWindow> label="Due" value={state.due} options={DUE_WINDOWS} onChange={(due) => onChange({ due })} />
    </Pop>
  );
}

export function DisplayPopover({ state, onChange, ordered }: PanelProps) {
  return (
    <Pop label="Display" icon={<SlidersHorizontal className="size-4" aria-hidden="true" />}>
      <Select<ListSort> label="Sort by" value={state.sort} options={SORTS} onChange={(sort) => onChange({ sort })} />
      <Select<"asc" | "desc">
        label="Order"
        value={state.order}
        options={{ asc: "Ascending", desc: "Descending" }}
        onChange={(order) => onChange({ order })}
        disabled={state.sort === "board"}
        hint="Board order has one direction: the board's"
      />
      <Select<GroupBy>
        label="Group by"
        value={state.sort === "board" ? "status" : state.group}
        options={GROUPS}
        onChange={(group) => onChange({ group })}
        disabled={state.sort === "board"}
        hint="In board order the list is grouped by status, like the board's columns"
      />
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={state.showDone} onChange={(e) => onChange({ showDone: e.target.checked })} />
        Show done tasks
      </label>
      {state.sort === "board" && !ordered ? <p className="text-xs text-muted">This server has no manual order yet: tasks show in creation order.</p> : null}
    </Pop>
  );
}
