"use client";
// A destructive action that asks first: the button turns into "Really …? Yes / Cancel".
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "./ui/Button";

interface Props {
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm: () => void | Promise<unknown>;
  disabled?: boolean;
  /** Shown instead of the label (an icon); the label stays the accessible name. */
  children?: ReactNode;
}

export function ConfirmButton({ label, question, confirmLabel = "Delete", onConfirm, disabled, children }: Props) {
  const [asking, setAsking] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) cancel.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <Button variant={children ? "ghost" : "danger"} size="sm" onClick={() => setAsking(true)} disabled={disabled} aria-label={children ? label : undefined} title={children ? label : undefined}>
        {children ?? label}
      </Button>
    );
  }
  return (
    <span role="group" aria-label={question} className="inline-flex flex-wrap items-center gap-1.5">
      <span className="text-muted">{question}</span>
      <Button
        variant="danger"
        size="sm"
        onClick={async () => {
          setAsking(false);
          await onConfirm();
        }}
      >
        {confirmLabel}
      </Button>
      <Button ref={cancel} size="sm" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </span>
  );
}
