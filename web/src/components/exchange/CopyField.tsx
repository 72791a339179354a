"use client";
// A value to copy (a feed URL, a webhook's secret): read-only text, selected on focus, and a
// Copy button that says when it worked (or to copy by hand when the browser refuses).
import { Check, Copy } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/Button";

export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const id = useId();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-medium">
        {label}
      </label>
      <div className="flex gap-2">
        <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} className="min-w-0 flex-1 font-mono text-xs" aria-describedby={hint ? `${id}-hint` : undefined} />
        <Button onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
          {state === "copied" ? <Check className="size-4" aria-hidden="true" /> : <Copy className="size-4" aria-hidden="true" />}
          {state === "copied" ? "Copied" : "Copy"}
        </Button>
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
      <p role="status" className="text-xs text-muted">
        {state === "copied" ? "Copied to the clipboard." : state === "failed" ? "The browser did not allow copying: select the text and copy it by hand." : ""}
      </p>
    </div>
  );
}
