"use client";
// The signed-in user's projects, shared by the sidebar and the pages that show a project.
import { createContext, useContext, type ReactNode } from "react";
import { collectAll } from "./api";
import { useLoad, type Loaded } from "./hooks";
import { useApi } from "./session";
import type { Project } from "./types";

const ProjectsContext = createContext<Loaded<Project[]> | null>(null);

export function ProjectsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const projects = useLoad(() => collectAll((cursor) => api.listProjects(cursor)), "projects");
  return <ProjectsContext.Provider value={projects}>{children}</ProjectsContext.Provider>;
}

export function useProjects(): Loaded<Project[]> {
  const value = useContext(ProjectsContext);
  if (!value) throw new Error("useProjects outside ProjectsProvider");
  return value;
}

/** The project with this id; "inbox" names the Inbox. */
export function findProject(projects: Project[] | undefined, id: string): Project | undefined {
  return projects?.find((p) => p.id === id || (id === "inbox" && p.is_inbox));
}
