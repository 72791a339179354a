"use client";
// The signed-in frame: skip link, sidebar (collapsible on a desktop, a drawer on a phone), top
// bar, the page, toasts. The sidebar's state is remembered on this device.
import { usePathname } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { whenIdle } from "@/lib/idle";
import { useToasts } from "@/lib/toast";
import { MobileNav, Toaster } from "./lazy";
import { Sidebar } from "./Sidebar";
import { TopBar } from "./TopBar";

const SIDEBAR_KEY = "tasklane.sidebar";

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const [drawer, setDrawer] = useState(false);
  // Rendered in the browser only (after the session is read): localStorage is there.
  const [hidden, setHidden] = useState(() => localStorage.getItem(SIDEBAR_KEY) === "hidden");
  const [at, setAt] = useState(pathname);
  // The toasts' code loads with the first toast, then stays.
  const toasts = useToasts();
  const [toasted, setToasted] = useState(false);
  if (toasts.length > 0 && !toasted) setToasted(true);
  if (pathname !== at) {
    // Navigated: the phone's navigation drawer closes.
    setAt(pathname);
    setDrawer(false);
  }
  // The toasts' code is fetched once the page is idle: a failure toast must show even when
  // the failure is the network.
  useEffect(() => whenIdle(() => void import("@/components/ui/Toaster")), []);
  const setSidebar = (hide: boolean) => {
    setHidden(hide);
    localStorage.setItem(SIDEBAR_KEY, hide ? "hidden" : "shown");
  };
  return (
    <div className="flex min-h-dvh">
      <a
        href="#main"
        onClick={(event) => {
          // Focus the content without a "#main" history entry (Back should leave the page).
          event.preventDefault();
          document.getElementById("main")?.focus();
        }}
        className="sr-only z-50 rounded-md bg-accent px-3 py-2 text-accent-fg focus:not-sr-only focus:fixed focus:left-2 focus:top-2"
      >
        Skip to content
      </a>
      {hidden ? null : (
        <aside className="hidden w-64 shrink-0 border-r border-line bg-surface md:block" aria-label="Sidebar">
          <div className="sticky top-0 h-dvh">
            <Sidebar onCollapse={() => setSidebar(true)} />
          </div>
        </aside>
      )}
      {drawer ? <MobileNav open onOpenChange={setDrawer} /> : null}
      <div className="flex min-w-0 flex-1 flex-col">
        <TopBar onMenu={() => setDrawer(true)} sidebarHidden={hidden} onShowSidebar={() => setSidebar(false)} />
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-5 outline-none sm:px-6 lg:px-8">
          {children}
        </main>
      </div>
      {toasted ? <Toaster /> : null}
    </div>
  );
}
