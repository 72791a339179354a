"use client";
// Dialogs and side sheets (Radix Dialog: focus trapped and returned, Esc closes, the rest of
// the page inert for assistive technology).
import * as RadixDialog from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import type { ReactNode } from "react";
import { IconButton } from "./Button";
import { cx } from "./cx";

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  /** Shown under the title; otherwise the title alone describes the dialog. */
  description?: string;
  children: ReactNode;
  /** Where the focus goes when it opens (default: the first focusable element). */
  onOpenAutoFocus?: (event: Event) => void;
  onCloseAutoFocus?: (event: Event) => void;
  className?: string;
}

export function Modal({ open, onOpenChange, title, description, children, onOpenAutoFocus, onCloseAutoFocus, className }: Props) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <RadixDialog.Content
          onOpenAutoFocus={onOpenAutoFocus}
          onCloseAutoFocus={onCloseAutoFocus}
          className={cx(
            "fixed left-1/2 top-[12vh] z-50 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 animate-in rounded-xl border border-line bg-raised p-5 shadow-pop",
            className,
          )}
        >
          <div className="mb-3 flex items-start justify-between gap-3">
            <RadixDialog.Title className="text-base font-semibold">{title}</RadixDialog.Title>
            <RadixDialog.Close asChild>
              <IconButton label="Close" size="sm">
                <X className="size-4" aria-hidden="true" />
              </IconButton>
            </RadixDialog.Close>
          </div>
          {description ? <RadixDialog.Description className="mb-3 text-muted">{description}</RadixDialog.Description> : <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** A panel from the right (the task drawer) or the left (navigation on a phone). */
export function Sheet({ open, onOpenChange, title, children, onOpenAutoFocus, onCloseAutoFocus, className, side = "right", hideTitle = false }: Props & { side?: "left" | "right"; hideTitle?: boolean }) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/30" />
        <RadixDialog.Content
          onOpenAutoFocus={onOpenAutoFocus}
          onCloseAutoFocus={onCloseAutoFocus}
          className={cx(
            "fixed inset-y-0 z-50 flex animate-slide flex-col border-line bg-raised shadow-pop",
            side === "right" ? "right-0 w-full border-l sm:w-[min(40rem,100vw)]" : "left-0 w-[min(18rem,85vw)] border-r",
            className,
          )}
        >
          <RadixDialog.Title className={hideTitle ? "sr-only" : "px-4 pt-4 text-base font-semibold"}>{title}</RadixDialog.Title>
          <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

export const DialogClose = RadixDialog.Close;
