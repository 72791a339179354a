"use client";
import type { ReactNode } from "react";
import { useFeature } from "@/lib/session";
import { Skeleton } from "./Status";

/** Children only where the API serves `path`; otherwise says the feature is not there yet. */
export function FeatureGate({ path, name, children }: { path: string; name: string; children: ReactNode }) {
  const available = useFeature(path);
  if (available === undefined) return <Skeleton rows={2} label={`Loading ${name}`} />;
  if (!available) {
    return (
      <p role="alert" className="error">
        {`${name} is not available on this server yet.`}
      </p>
    );
  }
  return <>{children}</>;
}
