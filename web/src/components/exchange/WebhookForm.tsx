"use client";
// Adding or changing a webhook: its URL, a note, and the events it receives (every event, or
// a choice per group). What the client can check is said before sending; the rest (a host
// that resolves to a private address) comes back from the API as one sentence.
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/Button";
import { ErrorMessage, Spinner } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { SubscribableEvent, Webhook } from "@/lib/api/types";
import { EVENT_GROUPS, eventsBody, eventsProblem, urlProblem } from "@/lib/exchange/webhooks";
import { useSession } from "@/lib/session";

export interface WebhookInput {
  url: string;
  description: string;
  events: SubscribableEvent[] | null;
}

interface Props {
  initial?: Webhook;
  submitLabel: string;
  onSubmit: (input: WebhookInput) => Promise<unknown>;
  onCancel?: () => void;
}

export function WebhookForm({ initial, submitLabel, onSubmit, onCancel }: Props) {
  const id = useId();
  const { config } = useSession();
  const [url, setUrl] = useState(initial?.url ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [all, setAll] = useState(initial ? initial.events === null : true);
  const [chosen, setChosen] = useState<Set<SubscribableEvent>>(() => new Set((initial?.events ?? []).filter((e): e is SubscribableEvent => e !== "webhook.ping")));
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const toggle = (event: SubscribableEvent, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(event);
    else next.delete(event);
    setChosen(next);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const invalid = urlProblem(url, Boolean(config?.localMode)) ?? eventsProblem(all, chosen);
    if (invalid) {
      setProblem(invalid);
      return;
    }
    setPending(true);
    try {
      await onSubmit({ url: url.trim(), description: description.trim(), events: eventsBody(all, chosen) });
      setProblem(null);
    } catch (caught) {
      setProblem(errorMessage(caught));
    } finally {
      setPending(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label={initial ? `Edit the webhook to ${initial.url}` : "Add a webhook"} className="space-y-3" noValidate>
      <div className="space-y-1">
        <label htmlFor={`${id}-url`} className="block font-medium">
          Payload URL
        </label>
        <input id={`${id}-url`} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/hooks/tasklane" required className="w-full" aria-describedby={`${id}-url-hint`} />
        <p id={`${id}-url-hint`} className="text-xs text-muted">
          An https address on the public internet. Tasklane POSTs JSON to it, signed with the webhook&apos;s secret.
        </p>
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-description`} className="block font-medium">
          Description <span className="font-normal text-muted">(optional)</span>
        </label>
        <input id={`${id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={200} className="w-full" />
      </div>
      <fieldset className="space-y-2">
        <legend className="font-medium">Events</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-scope`} checked={all} onChange={() => setAll(true)} /> Every event, including ones added later
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-scope`} checked={!all} onChange={() => setAll(false)} /> Only these:
        </label>
        {!all ? (
          <div className="grid gap-3 pl-6 sm:grid-cols-2">
            {EVENT_GROUPS.map((group) => (
              <fieldset key={group.name} className="space-y-1">
                <legend className="text-xs font-semibold uppercase tracking-wide text-muted">{group.name}</legend>
                {group.events.map(({ event, label }) => (
                  <label key={event} className="flex items-center gap-2">
                    <input type="checkbox" checked={chosen.has(event)} onChange={(e) => toggle(event, e.target.checked)} aria-label={`${group.name}: ${label} (${event})`} />
                    <span>{label}</span> <code className="text-xs text-muted">{event}</code>
                  </label>
                ))}
              </fieldset>
            ))}
          </div>
        ) : null}
      </fieldset>
      <ErrorMessage error={problem} />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? <Spinner label="Saving" /> : null} {submitLabel}
        </Button>
        {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
      </div>
    </form>
  );
}
