"use client";
// The settings pages' tabs: profile, export, import, the calendar feed. Links, so each page
// has its own URL and the browser's back button works; the current one is marked for
// assistive technology.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";

export const SETTINGS_PAGES = [
  { href: "/profile", label: "Profile" },
  { href: "/settings/export", label: "Export" },
  { href: "/settings/import", label: "Import" },
  { href: "/settings/calendar", label: "Calendar feed" },
] as const;

export function SettingsNav() {
  const path = usePathname();
  return (
    <nav aria-label="Settings" className="-mx-1 mb-4 overflow-x-auto">
      <ul className="flex gap-1 border-b border-line px-1">
        {SETTINGS_PAGES.map((page) => {
          const current = path === page.href || path.startsWith(`${page.href}/`);
          return (
            <li key={page.href}>
              <Link
                href={page.href}
                aria-current={current ? "page" : undefined}
                className={cx(
                  "-mb-px inline-block whitespace-nowrap border-b-2 px-3 py-2 font-medium",
                  current ? "border-accent text-fg" : "border-transparent text-muted hover:text-fg",
                )}
              >
                {page.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
