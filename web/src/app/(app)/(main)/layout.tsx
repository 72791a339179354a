"use client";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/AppHeader";
import { ProjectSidebar } from "@/components/ProjectSidebar";
import { RequireSession } from "@/components/RequireSession";
import { ProfileProvider } from "@/lib/profile";
import { ProjectsProvider } from "@/lib/projects";

export default function SignedInLayout({ children }: { children: ReactNode }) {
  return (
    <RequireSession>
      <ProfileProvider>
        <ProjectsProvider>
          <AppHeader />
          <div className="shell-body">
            <ProjectSidebar />
            <main id="main">{children}</main>
          </div>
        </ProjectsProvider>
      </ProfileProvider>
    </RequireSession>
  );
}
