"use client";
// Menus of actions. The menu itself (Radix Dropdown Menu: arrow keys, type-ahead, Esc, focus
// returned; ~29 KiB with its positioning) loads when the browser is idle after the first
// paint, or on the first click if that comes sooner: until then the trigger is a plain button.
import { cloneElement, useEffect, useState, type ComponentType, type ReactElement, type ReactNode } from "react";
import { whenIdle } from "@/lib/idle";

export type MenuEntry =
  | { kind: "item"; label: ReactNode; onSelect: () => void; icon?: ReactNode; disabled?: boolean; danger?: boolean; key?: string }
  | { kind: "separator"; key?: string }
  | { kind: "label"; label: ReactNode; key?: string };

export interface MenuProps {
  /** A <button>: the Radix trigger, or the plain button until the menu's code is there. */
  trigger: ReactElement<Record<string, unknown>>;
  items: MenuEntry[];
  align?: "start" | "end";
  defaultOpen?: boolean;
}

let loaded: ComponentType<MenuProps> | null = null;
let loading: Promise<ComponentType<MenuProps>> | null = null;

function load(): Promise<ComponentType<MenuProps>> {
  loading ??= import("./MenuImpl").then((module) => {
    loaded = module.default;
    return loaded;
  });
  return loading;
}

export function Menu(props: MenuProps) {
  const [Impl, setImpl] = useState<ComponentType<MenuProps> | null>(() => loaded);
  const [openAtOnce, setOpenAtOnce] = useState(false);
  useEffect(() => {
    if (Impl) return;
    let live = true;
    const cancel = whenIdle(() => void load().then((component) => live && setImpl(() => component)));
    return () => {
      live = false;
      cancel();
    };
  }, [Impl]);
  if (Impl) return <Impl {...props} defaultOpen={openAtOnce} />;
  const open = () => {
    setOpenAtOnce(true);
    void load().then((component) => setImpl(() => component));
  };
  return cloneElement(props.trigger, { "aria-haspopup": "menu", "aria-expanded": false, onClick: open });
}

export const item = (label: ReactNode, onSelect: () => void, more: Omit<Extract<MenuEntry, { kind: "item" }>, "kind" | "label" | "onSelect"> = {}): MenuEntry => ({ kind: "item", label, onSelect, ...more });
export const separator = (key?: string): MenuEntry => ({ kind: "separator", key });
export const label = (text: ReactNode, key?: string): MenuEntry => ({ kind: "label", label: text, key });
