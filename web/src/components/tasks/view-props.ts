import type { Member, Project } from "@/lib/api/types";
import type { ViewState } from "@/lib/view-state";

/** What the list and the board are given by the project page. */
export interface ProjectViewProps {
  project: Project;
  state: ViewState;
  timeZone: string;
  members: readonly Member[] | null;
  me: { id: string; name: string };
  canWrite: boolean;
  taskHref: (id: string) => string;
  onOpen: (id: string) => void;
}
