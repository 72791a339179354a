"use client";
// The signed-in user's profile (GET /me): their time zone dates are shown and entered in.
import { createContext, useContext, type ReactNode } from "react";
import { useLoad, type Loaded } from "./hooks";
import { useApi } from "./session";
import { browserTimeZone } from "./time";
import type { Profile } from "./types";

const ProfileContext = createContext<Loaded<Profile> | null>(null);

export function ProfileProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const profile = useLoad(() => api.me(), "me");
  return <ProfileContext.Provider value={profile}>{children}</ProfileContext.Provider>;
}

export function useProfile(): Loaded<Profile> {
  const value = useContext(ProfileContext);
  if (!value) throw new Error("useProfile outside ProfileProvider");
  return value;
}

export function useTimeZone(): string {
  return useProfile().data?.time_zone ?? browserTimeZone();
}
