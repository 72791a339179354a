"use client";
import { collectAll } from "./api";
import { useLoad } from "./hooks";
import { useApi, useFeature } from "./session";
import type { Member } from "./types";

export const MEMBERS_PATH = "/projects/{project_id}/members";

/** The project's members, or null where the API does not serve sharing (yet). */
export function useMembers(projectId: string | undefined): { members: Member[] | null; error: string | null; reload: () => void } {
  const api = useApi();
  const available = useFeature(MEMBERS_PATH);
  const key = available && projectId ? `members:${projectId}` : "none";
  const loaded = useLoad(
    async () => (key === "none" || !projectId ? null : collectAll((cursor) => api.listMembers(projectId, cursor))),
    key,
  );
  return { members: loaded.data ?? null, error: loaded.error, reload: loaded.reload };
}

export function memberName(members: Member[] | null, userId: string | null | undefined): string | null {
  if (!userId) return null;
  const member = members?.find((m) => m.user_id === userId);
  return member ? member.display_name || member.email : "someone";
}
