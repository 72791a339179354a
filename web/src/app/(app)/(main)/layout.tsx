"use client";
import type { ReactNode } from "react";
import { CommandCenter } from "@/components/commands/CommandCenter";
import { AppShell } from "@/components/shell/AppShell";
import { RequireSession } from "@/components/RequireSession";
import { LiveProvider } from "@/lib/live/provider";
import { QueryProvider } from "@/lib/query/provider";
import { useFirstUseDefaults } from "@/lib/queries";
import { TaskActionsProvider } from "@/lib/tasks/provider";

function FirstUse() {
  useFirstUseDefaults();
  return null;
}

export default function SignedInLayout({ children }: { children: ReactNode }) {
  return (
    <RequireSession>
      <QueryProvider>
        <LiveProvider>
          <TaskActionsProvider>
            <CommandCenter>
              <FirstUse />
              <AppShell>{children}</AppShell>
            </CommandCenter>
          </TaskActionsProvider>
        </LiveProvider>
      </QueryProvider>
    </RequireSession>
  );
}
