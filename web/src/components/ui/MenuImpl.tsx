"use client";
// The menu itself (Radix Dropdown Menu), loaded by Menu.tsx.
import * as Dropdown from "@radix-ui/react-dropdown-menu";
import { cx } from "./cx";
import type { MenuProps } from "./Menu";

export default function MenuImpl({ trigger, items, align = "end", defaultOpen = false }: MenuProps) {
  return (
    <Dropdown.Root modal={false} defaultOpen={defaultOpen}>
      <Dropdown.Trigger asChild>{trigger}</Dropdown.Trigger>
      <Dropdown.Portal>
        <Dropdown.Content align={align} sideOffset={4} className="z-50 min-w-44 max-w-[calc(100vw-1rem)] animate-in rounded-lg border border-line bg-raised p-1 shadow-pop">
          {items.map((entry, i) => {
            const key = entry.key ?? String(i);
            if (entry.kind === "separator") return <Dropdown.Separator key={key} className="my-1 h-px bg-line" />;
            if (entry.kind === "label") {
              return (
                <Dropdown.Label key={key} className="px-2 py-1 text-xs text-muted">
                  {entry.label}
                </Dropdown.Label>
              );
            }
            return (
              <Dropdown.Item
                key={key}
                onSelect={entry.onSelect}
                disabled={entry.disabled}
                className={cx(
                  "flex cursor-default select-none items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[disabled]:opacity-50 data-[highlighted]:bg-subtle",
                  entry.danger ? "text-danger" : "text-fg",
                )}
              >
                {entry.icon ? (
                  <span aria-hidden="true" className="text-muted">
                    {entry.icon}
                  </span>
                ) : null}
                {entry.label}
              </Dropdown.Item>
            );
          })}
        </Dropdown.Content>
      </Dropdown.Portal>
    </Dropdown.Root>
  );
}
