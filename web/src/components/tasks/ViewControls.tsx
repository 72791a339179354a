"use client";
// The project view's controls: List | Board, filters (priority, label, due) and display
// options (group, sort, order, done tasks). All of it is URL state.
import { CalendarDays, Kanban, List, ListFilter, SlidersHorizontal, X } from "lucide-react";
import dynamic from "next/dynamic";
import type { KeyboardEvent, ReactNode } from "react";
import { buttonClass } from "@/components/ui/Button";
import { cx } from "@/components/ui/cx";
import type { DueWindow } from "@/lib/tasks/ordering";
import { hasFilters, type ViewKind, type ViewState } from "@/lib/view-state";
import { PRIORITY_LABELS } from "./TaskMeta";

export const DUE_WINDOWS: Record<DueWindow, string> = { any: "Any time", overdue: "Overdue", day: "Next 24 hours", week: "Next 7 days" };

/** The popover's button while its code loads (a moment after the list). */
function Placeholder({ label, icon }: { label: string; icon: ReactNode }) {
  return (
    <button type="button" disabled className={buttonClass("ghost", "sm")}>
      {icon}
      {label}
    </button>
  );
}

const FilterPopover = dynamic(() => import("./ViewPopovers").then((m) => m.FilterPopover), {
  ssr: false,
  loading: () => <Placeholder label="Filter" icon={<ListFilter className="size-4" aria-hidden="true" />} />,
});
const DisplayPopover = dynamic(() => import("./ViewPopovers").then((m) => m.DisplayPopover), {
  ssr: false,
  loading: () => <Placeholder label="Display" icon={<SlidersHorizontal className="size-4" aria-hidden="true" />} />,
});

export function ViewControls({ state, onChange, ordered }: { state: ViewState; onChange: (next: Partial<ViewState>) => void; ordered: boolean }) {
  const filtered = hasFilters(state);
  const chips: [string, () => void][] = [];
  if (state.priority) chips.push([`Priority: ${PRIORITY_LABELS[state.priority]}`, () => onChange({ priority: null })]);
  if (state.label.trim()) chips.push([`Label: ${state.label.trim()}`, () => onChange({ label: "" })]);
  if (state.due !== "any") chips.push([`Due: ${DUE_WINDOWS[state.due]}`, () => onChange({ due: "any" })]);
  const onArrows = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === "ArrowRight" || event.key === "ArrowDown" ? 1 : event.key === "ArrowLeft" || event.key === "ArrowUp" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const group = event.currentTarget;
    const order: ViewKind[] = ["list", "board", "calendar"];
    const next = order[(order.indexOf(state.view) + step + order.length) % order.length] ?? "list";
    onChange({ view: next });
    requestAnimationFrame(() => group.querySelector<HTMLElement>(`[data-view="${next}"]`)?.focus());
  };
  const views: [ViewKind, string, ReactNode][] = [
    ["list", "List", <List key="l" className="size-4" aria-hidden="true" />],
    ["board", "Board", <Kanban key="b" className="size-4" aria-hidden="true" />],
    ["calendar", "Calendar", <CalendarDays key="c" className="size-4" aria-hidden="true" />],
  ];
  return (
    <div className="flex flex-wrap items-center gap-2">
      {/* One stop in the Tab order; the arrow keys choose (a radio group). */}
      <div role="radiogroup" aria-label="View" className="inline-flex rounded-md border border-line p-0.5" onKeyDown={onArrows}>
        {views.map(([view, label, icon]) => (
          <button
            key={view}
            type="button"
            role="radio"
            aria-checked={state.view === view}
            tabIndex={state.view === view ? 0 : -1}
            data-view={view}
            onClick={() => onChange({ view })}
            className={cx("inline-flex h-7 items-center gap-1.5 rounded px-2.5 font-medium", state.view === view ? "bg-selected text-fg" : "text-muted hover:text-fg")}
          >
            {icon}
            {label}
          </button>
        ))}
      </div>
      <FilterPopover state={state} onChange={onChange} active={filtered} />
      {state.view === "list" ? <DisplayPopover state={state} onChange={onChange} ordered={ordered} /> : null}
      {chips.length ? (
        <ul className="flex flex-wrap gap-1" aria-label="Active filters">
          {chips.map(([text, clear]) => (
            <li key={text} className="inline-flex items-center gap-1 rounded-full bg-accent-soft py-0.5 pl-2 pr-1 text-xs text-accent">
              {text}
              <button type="button" onClick={clear} aria-label={`Remove filter ${text}`} className="rounded-full p-0.5 hover:bg-selected">
                <X className="size-3" aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
