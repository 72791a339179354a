"use client";
// The top bar: the menu (phone) or sidebar button, search, the command palette, the
// notification bell with its count, and the account menu (profile, theme, shortcuts, log out).
import { Bell, Command, Keyboard, LogOut, Mail, Menu as MenuIcon, Monitor, Moon, PanelLeftOpen, Search, Sun, User } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Avatar } from "@/components/ui/Avatar";
import { IconButton } from "@/components/ui/Button";
import { Kbd } from "@/components/ui/Kbd";
import { item, label, Menu, separator } from "@/components/ui/Menu";
import { useCommands } from "@/components/commands/CommandCenter";
import { useMe, useUnread } from "@/lib/queries";
import { useSession, useUser } from "@/lib/session";
import { useTheme } from "@/lib/theme";

function SearchBox() {
  const router = useRouter();
  const pathname = usePathname();
  const [q, setQ] = useState("");
  const [at, setAt] = useState(pathname);
  if (pathname !== at) {
    // Left the results: the box is empty again for the next search.
    setAt(pathname);
    if (pathname !== "/search") setQ("");
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    router.push(q.trim() ? `/search?q=${encodeURIComponent(q.trim())}` : "/search");
  };
  return (
    <form role="search" onSubmit={submit} className="relative hidden w-full max-w-sm sm:block">
      <label htmlFor="top-search" className="sr-only">
        Search tasks
      </label>
      <Search className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-muted" aria-hidden="true" />
      <input id="top-search" type="search" placeholder="Search tasks" value={q} onChange={(e) => setQ(e.target.value)} className="h-8 w-full pl-8" />
    </form>
  );
}

function NotificationBell() {
  const unread = useUnread();
  const count = unread.data?.unread ?? 0;
  return (
    <Link
      href="/notifications"
      aria-label={count ? `Notifications (${count} unread)` : "Notifications"}
      title="Notifications"
      className="relative inline-flex size-8 items-center justify-center rounded-md text-muted hover:bg-subtle hover:text-fg"
    >
      <Bell className="size-4" aria-hidden="true" />
      {count ? (
        <span data-testid="unread-count" aria-hidden="true" className="absolute -right-0.5 -top-0.5 min-w-4 rounded-full bg-danger px-1 text-center text-[10px] font-semibold leading-4 text-white">
          {count > 99 ? "99+" : count}
        </span>
      ) : null}
    </Link>
  );
}

function AccountMenu() {
  const { config, logOut } = useSession();
  const user = useUser();
  const me = useMe();
  const router = useRouter();
  const commands = useCommands();
  const [theme, setTheme] = useTheme();
  const name = me.data?.display_name || user.email;
  const leave = async () => {
    await logOut();
    router.replace("/login");
  };
  const themes = [
    ["light", "Light", <Sun key="l" className="size-4" />],
    ["dark", "Dark", <Moon key="d" className="size-4" />],
    ["system", "System", <Monitor key="s" className="size-4" />],
  ] as const;
  return (
    <Menu
      trigger={
        <button type="button" aria-label={`Account: ${name}`} className="rounded-full">
          <Avatar person={{ id: user.id, name }} labelled={false} />
        </button>
      }
      items={[
        label(
          <>
            <span className="block font-medium text-fg">{name}</span>
            {user.email}
          </>,
        ),
        separator(),
        item("Profile and settings", () => router.push("/profile"), { icon: <User className="size-4" /> }),
        item("Keyboard shortcuts", () => commands.openHelp(), { icon: <Keyboard className="size-4" /> }),
        ...(config?.localMode ? [item("Mailbox (local)", () => router.push("/dev/mail"), { icon: <Mail className="size-4" /> })] : []),
        separator(),
        label("Theme"),
        ...themes.map(([value, text, icon]) =>
          item(
            <>
              {text}
              {theme === value ? <span className="sr-only"> (current)</span> : null}
              {theme === value ? (
                <span aria-hidden="true" className="ml-auto text-accent">
                  ✓
                </span>
              ) : null}
            </>,
            () => setTheme(value),
            { icon, key: value },
          ),
        ),
        separator(),
        item("Log out", () => void leave(), { icon: <LogOut className="size-4" /> }),
      ]}
    />
  );
}

export function TopBar({ onMenu, sidebarHidden, onShowSidebar }: { onMenu: () => void; sidebarHidden: boolean; onShowSidebar: () => void }) {
  const commands = useCommands();
  return (
    <header className="sticky top-0 z-30 flex h-12 items-center gap-2 border-b border-line bg-canvas/95 px-3 backdrop-blur">
      <IconButton label="Open navigation" className="md:hidden" onClick={onMenu}>
        <MenuIcon className="size-5" aria-hidden="true" />
      </IconButton>
      {sidebarHidden ? (
        <IconButton label="Show the sidebar" className="hidden md:inline-flex" onClick={onShowSidebar}>
          <PanelLeftOpen className="size-4" aria-hidden="true" />
        </IconButton>
      ) : null}
      <SearchBox />
      <div className="ml-auto flex items-center gap-1">
        <button
          type="button"
          onClick={() => commands.openPalette()}
          className="hidden h-8 items-center gap-2 rounded-md border border-line px-2 text-muted hover:bg-subtle sm:inline-flex"
        >
          <Command className="size-4" aria-hidden="true" />
          <span>Commands</span>
          <Kbd>Ctrl K</Kbd>
        </button>
        <IconButton label="Search" className="sm:hidden" onClick={() => commands.openPalette()}>
          <Search className="size-4" aria-hidden="true" />
        </IconButton>
        <NotificationBell />
        <AccountMenu />
      </div>
    </header>
  );
}
