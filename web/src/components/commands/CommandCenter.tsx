"use client";
// The command palette (`/`, Ctrl/⌘+K) and the shortcut help (`?`): loaded after the first
// paint (the palette when the browser is idle, the help on first use), so no page's first
// load pays for them.
import dynamic from "next/dynamic";
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { whenIdle } from "@/lib/idle";
import { useShortcut } from "@/lib/shortcuts";

const Palette = dynamic(() => import("./Palette"), { ssr: false });
const ShortcutHelp = dynamic(() => import("./ShortcutHelp"), { ssr: false });

interface Commands {
  openPalette: () => void;
  openHelp: () => void;
}

const CommandsContext = createContext<Commands>({ openPalette: () => {}, openHelp: () => {} });

/** Pages that can act on a command from the palette listen for it (`tasklane:command`). */
export type PageCommand = "new-task" | "view-list" | "view-board" | "view-calendar";

export function sendPageCommand(command: PageCommand): void {
  window.dispatchEvent(new CustomEvent<PageCommand>("tasklane:command", { detail: command }));
}

export function CommandCenter({ children }: { children: ReactNode }) {
  const [palette, setPalette] = useState(false);
  const [help, setHelp] = useState(false);
  // Mounted once opened, kept mounted after (closing is instant, reopening too).
  const [used, setUsed] = useState({ palette: false, help: false });
  const commands = useMemo<Commands>(
    () => ({
      openPalette: () => {
        setUsed((u) => ({ ...u, palette: true }));
        setPalette(true);
      },
      openHelp: () => {
        setUsed((u) => ({ ...u, help: true }));
        setHelp(true);
      },
    }),
    [],
  );
  // Mounted (closed) once the page is idle, so Ctrl+K opens it at once and the first keys
  // typed land in it.
  useEffect(() => whenIdle(() => setUsed((u) => ({ ...u, palette: true }))), []);
  useShortcut("mod+k", () => (palette ? setPalette(false) : commands.openPalette()), { inFields: true });
  useShortcut("/", () => commands.openPalette());
  useShortcut("?", () => commands.openHelp());
  return (
    <CommandsContext.Provider value={commands}>
      {children}
      {used.palette ? <Palette open={palette} onOpenChange={setPalette} onHelp={commands.openHelp} /> : null}
      {used.help ? <ShortcutHelp open={help} onOpenChange={setHelp} /> : null}
    </CommandsContext.Provider>
  );
}

export function useCommands(): Commands {
  return useContext(CommandsContext);
}
