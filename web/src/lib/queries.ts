"use client";
// The shared reads of a signed-in page: projects, the profile, members, counts, unread notices.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { collectAll } from "@/lib/api/client";
import type { Member, Profile, ProfilePatch, Project, TimeZone } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { useApi, useFeature } from "@/lib/session";
import { browserTimeZone } from "@/lib/dates";

export const MEMBERS_PATH = "/projects/{project_id}/members";
export const NOTIFICATIONS_PATH = "/notifications";
const MINUTE = 60_000;

export function useProjects() {
  const api = useApi();
  return useQuery({ queryKey: keys.projects, queryFn: () => collectAll((cursor) => api.listProjects(cursor)), staleTime: MINUTE });
}

/** The project with this id; "inbox" names the Inbox. */
export function findProject(projects: Project[] | undefined, id: string): Project | undefined {
  return projects?.find((p) => p.id === id || (id === "inbox" && p.is_inbox));
}

/** A project's URL: the Inbox is /projects/inbox. */
export function projectHref(project: Pick<Project, "id" | "is_inbox">): string {
  return `/projects/${project.is_inbox ? "inbox" : project.id}`;
}

/** The members of a shared project (display names for avatars), cached per project. */
export function useMembers(project: Project | undefined): Member[] | null {
  const api = useApi();
  const available = useFeature(MEMBERS_PATH);
  const enabled = Boolean(available && project && !project.is_inbox);
  const query = useQuery({
    queryKey: keys.members(project?.id ?? ""),
    queryFn: () => collectAll((cursor) => api.listMembers(project?.id ?? "", cursor)),
    enabled,
    staleTime: 5 * MINUTE,
  });
  return enabled ? (query.data ?? null) : null;
}

export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: keys.me, queryFn: () => api.me(), staleTime: 5 * MINUTE });
}

/** A profile nobody has set a time zone on yet: the API's default, never changed. */
export function isUntouchedDefault(profile: Profile): boolean {
  return profile.time_zone === "UTC" && profile.created_at === profile.updated_at;
}

/** On first use the profile takes the browser's time zone (the user can change it). */
export function useFirstUseDefaults(): void {
  const api = useApi();
  const client = useQueryClient();
  const me = useMe();
  const asked = useRef(false);
  const set = useMutation({
    mutationFn: (patch: ProfilePatch) => api.updateMe(patch),
    onSuccess: (profile) => {
      client.setQueryData(keys.me, profile);
      void client.invalidateQueries({ queryKey: keys.stats });
    },
  });
  const { mutate } = set;
  useEffect(() => {
    if (!me.data || asked.current || !isUntouchedDefault(me.data)) return;
    asked.current = true;
    const zone = browserTimeZone();
    if (zone !== "UTC") mutate({ time_zone: zone as TimeZone });
  }, [me.data, mutate]);
}

export function useTimeZone(): string {
  return useMe().data?.time_zone ?? browserTimeZone();
}

export function useStats() {
  const api = useApi();
  return useQuery({ queryKey: keys.stats, queryFn: () => api.stats(), staleTime: 30_000, refetchInterval: 2 * MINUTE });
}

export function useUnread() {
  const api = useApi();
  const available = useFeature(NOTIFICATIONS_PATH);
  return useQuery({
    queryKey: keys.unread,
    queryFn: () => api.notifications(true),
    enabled: available === true,
    refetchInterval: 30_000,
  });
}
