import type { ReactNode } from "react";

// The header row of a compact data table (delivery logs, import reports): small, muted
// column names, each a column header for assistive technology.
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead className="text-xs text-muted">
      <tr>
        {columns.map((name, index) => (
          <th key={name} scope="col" className={index < columns.length - 1 ? "py-1 pr-3 font-medium" : "py-1 font-medium"}>
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A table that may be wider than a phone: it scrolls sideways, and being focusable it can
 * be scrolled with the keyboard (a named region, so the focus says what it is on). */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
