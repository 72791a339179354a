"use client";
// The task drawer's fields: edited in place, saved as you go. A text field keeps what you typed
// (its draft) until it is saved; a change from elsewhere never overwrites a draft, and leaving
// the drawer saves it.
import { X } from "lucide-react";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { normaliseLabel } from "@/lib/tasks/ordering";

/** A draft of `value`: follows it until edited, saved by `commit` (on blur, Enter, pause,
 * unmount). `base` is the value the draft started from. */
function useDraft(value: string, commit: (value: string) => void, { debounceMs, resetKey }: { debounceMs?: number; resetKey: number }) {
  const [draft, setDraft] = useState(value);
  const [base, setBase] = useState(value);
  const [seen, setSeen] = useState({ value, resetKey });
  if (seen.value !== value || seen.resetKey !== resetKey) {
    // The server's value changed (our save, or someone else's): follow it unless something is
    // typed. "Use theirs" after a conflict (resetKey): drop the draft.
    setSeen({ value, resetKey });
    if (draft === base || seen.resetKey !== resetKey) setDraft(value);
    setBase(value);
  }
  const latest = useRef({ draft, base, commit });
  useEffect(() => {
    latest.current = { draft, base, commit };
  });
  const flush = useCallback(() => {
    const { draft: current, base: from, commit: save } = latest.current;
    if (current === from) return;
    latest.current.base = current;
    setBase(current);
    save(current);
  }, []);
  useEffect(() => {
    if (!debounceMs || draft === base) return;
    const timer = setTimeout(flush, debounceMs);
    return () => clearTimeout(timer);
  }, [draft, base, debounceMs, flush]);
  useEffect(() => () => flush(), [flush]);
  return { draft, setDraft, flush, dirty: draft !== base };
}

export function TitleField({ value, onCommit, disabled, resetKey }: { value: string; onCommit: (title: string) => void; disabled: boolean; resetKey: number }) {
  const id = useId();
  const { draft, setDraft, flush } = useDraft(value, (v) => v.trim() && onCommit(v.trim()), { resetKey });
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      flush();
    }
  };
  return (
    <div>
      <label htmlFor={id} className="sr-only">
        Title
      </label>
      <textarea
        id={id}
        value={draft}
        onChange={(e) => setDraft(e.target.value.replace(/\n/g, " "))}
        onBlur={flush}
        onKeyDown={onKeyDown}
        readOnly={disabled}
        rows={1}
        maxLength={200}
        className="field-sizing-content w-full resize-none border-transparent bg-transparent px-1 py-1 text-lg font-semibold hover:border-line focus:border-line"
      />
    </div>
  );
}

export function DescriptionField({ value, onCommit, disabled, resetKey }: { value: string; onCommit: (text: string) => void; disabled: boolean; resetKey: number }) {
  const id = useId();
  const { draft, setDraft, flush, dirty } = useDraft(value, onCommit, { debounceMs: 1200, resetKey });
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-semibold uppercase tracking-wide text-muted">
        Description {dirty ? <span className="font-normal normal-case tracking-normal">(saving…)</span> : null}
      </label>
      <textarea
        id={id}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={flush}
        readOnly={disabled}
        maxLength={10000}
        placeholder={disabled ? "No description." : "Add details, links, a checklist…"}
        className="field-sizing-content min-h-24 w-full resize-y"
      />
    </div>
  );
}

export function Property({ label, htmlFor, children }: { label: string; htmlFor?: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[6.5rem_1fr] items-start gap-2 py-0.5 [&>:first-child]:pt-1.5">
      {htmlFor ? (
        <label htmlFor={htmlFor} className="text-muted">
          {label}
        </label>
      ) : (
        <span className="text-muted">{label}</span>
      )}
      <div className="min-w-0">{children}</div>
    </div>
  );
}

export function LabelsField({ labels, onCommit, disabled }: { labels: readonly string[]; onCommit: (labels: string[]) => void; disabled: boolean }) {
  const id = useId();
  const [text, setText] = useState("");
  const add = () => {
    const label = normaliseLabel(text.replace(/,/g, " "));
    setText("");
    if (label && !labels.includes(label) && labels.length < 20) onCommit([...labels, label]);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      add();
    } else if (event.key === "Backspace" && !text && labels.length) {
      onCommit(labels.slice(0, -1));
    }
  };
  return (
    <Property label="Labels" htmlFor={id}>
      <div className={cx("flex flex-wrap items-center gap-1 rounded-md border border-transparent px-1 py-0.5", !disabled && "hover:border-line focus-within:border-line")}>
        <ul className="contents" aria-label="Current labels">
          {labels.map((label) => (
            <li key={label} className="inline-flex items-center gap-0.5 rounded bg-subtle py-0.5 pl-1.5 pr-0.5 text-xs">
              #{label}
              {disabled ? null : (
                <button type="button" onClick={() => onCommit(labels.filter((l) => l !== label))} aria-label={`Remove label ${label}`} className="rounded p-0.5 text-muted hover:bg-line">
                  <X className="size-3" aria-hidden="true" />
                </button>
              )}
            </li>
          ))}
        </ul>
        {disabled ? (
          labels.length ? null : <span className="text-muted">None</span>
        ) : (
          <input
            id={id}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKeyDown}
            onBlur={() => text.trim() && add()}
            placeholder={labels.length ? "" : "Add a label"}
            className="h-6 min-w-24 flex-1 border-0 bg-transparent p-0 text-sm focus:outline-none focus-visible:outline-none"
          />
        )}
      </div>
    </Property>
  );
}
