"use client";
// The command palette (cmdk): jump to a page, a project or a task (full-text search as you
// type), or run an action. Loaded on first use (see CommandCenter).
import { useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import { CalendarDays, ChartColumn, FileText, Folder, Inbox, Kanban, Keyboard, List, LogOut, Moon, Plus, Search, Sun, User, UserRoundCheck, Bell } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { keys } from "@/lib/query/keys";
import { projectHref, useProjects } from "@/lib/queries";
import { useApi, useSession } from "@/lib/session";
import { effectiveDark, useTheme } from "@/lib/theme";
import { NewProjectDialog } from "@/components/shell/lazy";
import { sendPageCommand } from "./CommandCenter";

function Item({ children, icon, onSelect, value, keywords }: { children: ReactNode; icon: ReactNode; onSelect: () => void; value: string; keywords?: string[] }) {
  return (
    <Command.Item
      value={value}
      keywords={keywords}
      onSelect={onSelect}
      className="flex cursor-default items-center gap-2 rounded-md px-2 py-2 text-fg data-[selected=true]:bg-subtle"
    >
      <span className="text-muted" aria-hidden="true">
        {icon}
      </span>
      <span className="min-w-0 flex-1 truncate">{children}</span>
    </Command.Item>
  );
}

const heading = "[&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-semibold [&_[cmdk-group-heading]]:text-muted";

export default function Palette({ open, onOpenChange, onHelp }: { open: boolean; onOpenChange: (open: boolean) => void; onHelp: () => void }) {
  const router = useRouter();
  const pathname = usePathname();
  const api = useApi();
  const { logOut } = useSession();
  const projects = useProjects();
  const [, setTheme] = useTheme();
  const [search, setSearch] = useState("");
  const [settled, setSettled] = useState("");
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(search.trim()), 150);
    return () => clearTimeout(timer);
  }, [search]);
  const hits = useQuery({
    queryKey: [...keys.search(settled), "palette"],
    queryFn: () => api.search(settled, null, 8),
    enabled: open && settled.length >= 2,
    staleTime: 10_000,
  });
  const inProject = pathname.startsWith("/projects/") && !pathname.includes("/members");
  const close = () => {
    setSearch("");
    onOpenChange(false);
  };
  const go = (href: string) => {
    close();
    router.push(href);
  };
  const act = (run: () => void) => {
    close();
    run();
  };

  return (
    <>
      <Command.Dialog
        open={open}
        onOpenChange={(next) => {
          if (!next) setSearch("");
          onOpenChange(next);
        }}
        label="Command palette"
        overlayClassName="fixed inset-0 z-40 bg-black/40"
        contentClassName="fixed left-1/2 top-[12vh] z-50 w-[min(36rem,calc(100vw-1.5rem))] -translate-x-1/2 animate-in overflow-hidden rounded-xl border border-line bg-raised shadow-pop"
        className={heading}
      >
        <div className="flex items-center gap-2 border-b border-line px-3">
          <Search className="size-4 text-muted" aria-hidden="true" />
          <Command.Input
            value={search}
            onValueChange={setSearch}
            placeholder="Jump to a project or task, or type a command…"
            aria-label="Command or search"
            className="h-11 w-full border-0 bg-transparent px-0 focus:outline-none focus-visible:outline-none"
          />
        </div>
        <Command.List className="max-h-[60vh] overflow-y-auto p-2">
          <Command.Empty className="px-2 py-6 text-center text-muted">{hits.isFetching ? "Searching…" : "Nothing found."}</Command.Empty>
          {hits.data?.items.length ? (
            <Command.Group heading="Tasks">
              {hits.data.items.map(({ task }) => (
                <Item key={task.id} value={`task ${task.id} ${task.title}`} keywords={[settled]} icon={<FileText className="size-4" />} onSelect={() => go(`/tasks/${task.id}`)}>
                  {task.title}
                </Item>
              ))}
            </Command.Group>
          ) : null}
          <Command.Group heading="Projects">
            {projects.data?.map((project) => (
              <Item key={project.id} value={`project ${project.name}`} icon={project.is_inbox ? <Inbox className="size-4" /> : <Folder className="size-4" />} onSelect={() => go(projectHref(project))}>
                {project.name}
              </Item>
            ))}
          </Command.Group>
          <Command.Group heading="Actions">
            {inProject ? (
              <>
                <Item value="new task add" icon={<Plus className="size-4" />} onSelect={() => act(() => sendPageCommand("new-task"))}>
                  New task
                </Item>
                <Item value="list view" icon={<List className="size-4" />} onSelect={() => act(() => sendPageCommand("view-list"))}>
                  Show as list
                </Item>
                <Item value="board view kanban" icon={<Kanban className="size-4" />} onSelect={() => act(() => sendPageCommand("view-board"))}>
                  Show as board
                </Item>
                <Item value="calendar view month due" icon={<CalendarDays className="size-4" />} onSelect={() => act(() => sendPageCommand("view-calendar"))}>
                  Show as calendar
                </Item>
              </>
            ) : null}
            <Item value="new project create" icon={<Plus className="size-4" />} onSelect={() => act(() => setCreating(true))}>
              New project
            </Item>
            <Item value="toggle theme dark light" icon={<Moon className="size-4" />} onSelect={() => act(() => setTheme(effectiveDark() ? "light" : "dark"))}>
              Switch between light and dark
            </Item>
            <Item value="keyboard shortcuts help" icon={<Keyboard className="size-4" />} onSelect={() => act(onHelp)}>
              Keyboard shortcuts
            </Item>
            <Item value="log out sign out" icon={<LogOut className="size-4" />} onSelect={() => act(() => void logOut().then(() => router.replace("/login")))}>
              Log out
            </Item>
          </Command.Group>
          <Command.Group heading="Go to">
            <Item value="go inbox" icon={<Inbox className="size-4" />} onSelect={() => go("/projects/inbox")}>Inbox</Item>
            <Item value="go assigned to me" icon={<UserRoundCheck className="size-4" />} onSelect={() => go("/assigned")}>Assigned to me</Item>
            <Item value="go search" icon={<Search className="size-4" />} onSelect={() => go(search.trim() ? `/search?q=${encodeURIComponent(search.trim())}` : "/search")}>Search</Item>
            <Item value="go stats" icon={<ChartColumn className="size-4" />} onSelect={() => go("/stats")}>Stats</Item>
            <Item value="go notifications" icon={<Bell className="size-4" />} onSelect={() => go("/notifications")}>Notifications</Item>
            <Item value="go profile settings time zone" icon={<User className="size-4" />} onSelect={() => go("/profile")}>Profile and settings</Item>
            <Item value="go light theme" icon={<Sun className="size-4" />} onSelect={() => act(() => setTheme("light"))}>Light theme</Item>
          </Command.Group>
        </Command.List>
      </Command.Dialog>
      {creating ? <NewProjectDialog open onOpenChange={setCreating} /> : null}
    </>
  );
}
