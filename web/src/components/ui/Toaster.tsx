"use client";
// The toasts of lib/toast.ts (Radix Toast: announced politely, F8 jumps to them, swipe away).
import * as RadixToast from "@radix-ui/react-toast";
import { X } from "lucide-react";
import { dismissToast, useToasts } from "@/lib/toast";
import { cx } from "./cx";

export function Toaster() {
  const toasts = useToasts();
  return (
    <RadixToast.Provider swipeDirection="right">
      {toasts.map((t) => (
        <RadixToast.Root
          key={t.id}
          duration={t.duration}
          type={t.tone === "error" ? "foreground" : "background"}
          onOpenChange={(open) => !open && dismissToast(t.id)}
          className={cx(
            "flex animate-in items-start gap-3 rounded-lg border bg-raised px-3 py-2.5 shadow-pop",
            t.tone === "error" ? "border-danger/50" : "border-line",
          )}
          data-testid="toast"
        >
          <div className="min-w-0 flex-1">
            <RadixToast.Title className={cx("font-medium", t.tone === "error" && "text-danger")}>{t.title}</RadixToast.Title>
            {t.description ? <RadixToast.Description className="mt-0.5 text-muted">{t.description}</RadixToast.Description> : null}
          </div>
          {t.action ? (
            <RadixToast.Action
              altText={t.action.altText}
              onClick={t.action.run}
              className="rounded-md px-2 py-1 font-semibold text-accent hover:bg-accent-soft"
            >
              {t.action.label}
            </RadixToast.Action>
          ) : null}
          <RadixToast.Close aria-label="Dismiss" className="rounded-md p-1 text-muted hover:bg-subtle">
            <X className="size-4" aria-hidden="true" />
          </RadixToast.Close>
        </RadixToast.Root>
      ))}
      <RadixToast.Viewport className="fixed bottom-0 right-0 z-[60] flex w-full max-w-sm flex-col gap-2 p-4 outline-none" label="Notifications about your changes ({hotkey})" />
    </RadixToast.Provider>
  );
}
