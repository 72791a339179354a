"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { ErrorMessage, Skeleton, Spinner } from "@/components/ui/Status";
import { cx } from "@/components/ui/cx";
import { errorMessage } from "@/lib/api/errors";
import { EVENT_KINDS, type EventKind, type Profile, type TimeZone } from "@/lib/api/types";
import { browserTimeZone, timeZones } from "@/lib/dates";
import { keys } from "@/lib/query/keys";
import { useMe } from "@/lib/queries";
import { useApi } from "@/lib/session";
import { useTheme, type ThemeChoice } from "@/lib/theme";

const KIND_LABELS: Record<EventKind, string> = {
  task_due: "A task falls due or is overdue",
  task_assigned: "A task is assigned to me",
  task_changed: "A task I am involved in changes or is completed",
  comment_added: "Someone comments on my task",
  project_shared: "A project is shared with me",
};

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-3 rounded-xl border border-line p-4">
      <legend className="px-1 font-semibold">{title}</legend>
      {children}
    </fieldset>
  );
}

function ThemePicker() {
  const [theme, setTheme] = useTheme();
  const options: [ThemeChoice, string][] = [
    ["system", "Like my system"],
    ["light", "Light"],
    ["dark", "Dark"],
  ];
  return (
    <Section title="Appearance">
      <div role="radiogroup" aria-label="Theme" className="flex flex-wrap gap-2">
        {options.map(([value, label]) => (
          <label key={value} className={cx("inline-flex cursor-pointer items-center gap-2 rounded-md border px-3 py-1.5", theme === value ? "border-accent bg-accent-soft" : "border-line")}>
            <input type="radio" name="theme" value={value} checked={theme === value} onChange={() => setTheme(value)} />
            {label}
          </label>
        ))}
      </div>
    </Section>
  );
}

function ProfileForm({ profile }: { profile: Profile }) {
  const api = useApi();
  const client = useQueryClient();
  const id = useId();
  const [name, setName] = useState(profile.display_name);
  const [timeZone, setTimeZone] = useState(profile.time_zone);
  const [events, setEvents] = useState<Record<EventKind, boolean>>(() => ({
    ...(Object.fromEntries(EVENT_KINDS.map((k) => [k, true])) as Record<EventKind, boolean>),
    ...profile.notifications.events,
  }));
  const [lead, setLead] = useState(String(profile.notifications.reminder_lead_minutes ?? 60));
  const [state, setState] = useState<{ pending: boolean; saved: boolean; error: string | null }>({ pending: false, saved: false, error: null });
  const zones = timeZones();
  const here = browserTimeZone();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ pending: true, saved: false, error: null });
    try {
      const saved = await api.updateMe({ display_name: name.trim(), time_zone: timeZone.trim() as TimeZone, notifications: { events, reminder_lead_minutes: Number(lead) } });
      client.setQueryData(keys.me, saved);
      void client.invalidateQueries({ queryKey: keys.stats });
      setState({ pending: false, saved: true, error: null });
    } catch (caught) {
      setState({ pending: false, saved: false, error: errorMessage(caught) });
    }
  };
  return (
    <form onSubmit={submit} aria-label="Profile" className="space-y-4">
      <Section title="You">
        <p className="text-muted">
          E-mail: <span className="text-fg">{profile.email}</span>
        </p>
        <div className="space-y-1">
          <label htmlFor={`${id}-name`} className="block font-medium">
            Display name
          </label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" maxLength={100} required className="w-full max-w-sm" />
          <p className="text-xs text-muted">How your teammates see you, with your initials.</p>
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-zone`} className="block font-medium">
            Time zone
          </label>
          <input id={`${id}-zone`} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list={`${id}-zones`} required className="w-full max-w-sm" aria-describedby={`${id}-zone-hint`} />
          <datalist id={`${id}-zones`}>
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <p id={`${id}-zone-hint`} className="text-xs text-muted">
            Due dates are shown and entered in it; reminders and “today” follow it.{" "}
            {timeZone !== here ? (
              <button type="button" className="font-medium text-accent hover:underline" onClick={() => setTimeZone(here)}>
                Use this device’s ({here})
              </button>
            ) : null}
          </p>
        </div>
      </Section>
      <Section title="E-mail me when">
        {EVENT_KINDS.map((kind) => (
          <label key={kind} className="flex items-center gap-2">
            <input type="checkbox" checked={events[kind]} onChange={(e) => setEvents({ ...events, [kind]: e.target.checked })} />
            {KIND_LABELS[kind]}
          </label>
        ))}
        <div className="space-y-1 pt-1">
          <label htmlFor={`${id}-lead`} className="block font-medium">
            Remind me this many minutes before a due date
          </label>
          <input id={`${id}-lead`} type="number" min={0} max={10080} value={lead} onChange={(e) => setLead(e.target.value)} className="w-32" />
        </div>
      </Section>
      <ErrorMessage error={state.error} />
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={state.pending}>
          {state.pending ? <Spinner label="Saving" /> : null} Save
        </Button>
        {state.saved ? (
          <p role="status" className="text-ok">
            Saved.
          </p>
        ) : null}
      </div>
    </form>
  );
}

export default function ProfilePage() {
  const me = useMe();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <PageTitle title="Profile" />
      <h1 className="text-xl font-semibold">Profile and settings</h1>
      {me.isPending ? <Skeleton rows={4} label="Loading your profile" /> : null}
      <ErrorMessage error={me.error ? errorMessage(me.error) : null} />
      {me.data ? <ProfileForm key={me.data.user_id} profile={me.data} /> : null}
      <ThemePicker />
    </div>
  );
}
