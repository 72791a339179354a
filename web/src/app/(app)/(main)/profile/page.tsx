"use client";
import { useState, type FormEvent } from "react";
import { ErrorMessage, Skeleton, Spinner } from "@/components/Status";
import { TextField } from "@/components/AuthCard";
import { useAction } from "@/lib/hooks";
import { useProfile } from "@/lib/profile";
import { useApi } from "@/lib/session";
import { EVENT_KINDS, type EventKind, type Profile } from "@/lib/types";

const KIND_LABELS: Record<EventKind, string> = {
  task_due: "A task falls due or is overdue",
  task_assigned: "A task is assigned to me",
  task_changed: "A task I am involved in changes or is completed",
  comment_added: "Someone comments on my task",
  project_shared: "A project is shared with me",
};

function ProfileForm({ profile, onSaved }: { profile: Profile; onSaved: (profile: Profile) => void }) {
  const api = useApi();
  const [name, setName] = useState(profile.display_name);
  const [timeZone, setTimeZone] = useState(profile.time_zone);
  const [events, setEvents] = useState(profile.notifications.events);
  const [lead, setLead] = useState(String(profile.notifications.reminder_lead_minutes));
  const [saved, setSaved] = useState(false);
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const save = useAction(async () => {
    setSaved(false);
    onSaved(
      await api.updateMe({
        display_name: name.trim(),
        time_zone: timeZone.trim(),
        notifications: { events, reminder_lead_minutes: Number(lead) },
      }),
    );
    setSaved(true);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.run();
  };
  return (
    <form onSubmit={submit} aria-label="Profile">
      <p>
        E-mail: <strong>{profile.email}</strong>
      </p>
      <TextField id="display-name" label="Display name" value={name} onChange={setName} autoComplete="name" />
      <div className="field">
        <label htmlFor="time-zone">Time zone</label>
        <input id="time-zone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list="time-zones" required />
        <datalist id="time-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </div>
      <fieldset>
        <legend>E-mail me when</legend>
        {EVENT_KINDS.map((kind) => (
          <div key={kind}>
            <input
              type="checkbox"
              id={`event-${kind}`}
              checked={events[kind]}
              onChange={(e) => setEvents({ ...events, [kind]: e.target.checked })}
            />{" "}
            <label htmlFor={`event-${kind}`} style={{ display: "inline", fontWeight: "normal" }}>
              {KIND_LABELS[kind]}
            </label>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="reminder-lead">Remind me this many minutes before a due date</label>
        <input id="reminder-lead" type="number" min={0} max={10080} value={lead} onChange={(e) => setLead(e.target.value)} />
      </div>
      <ErrorMessage error={save.error} />
      {saved ? (
        <p role="status" className="success">
          Saved.
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={save.pending}>
        {save.pending ? <Spinner label="Saving" /> : null} Save
      </button>
    </form>
  );
}

export default function ProfilePage() {
  const profile = useProfile();
  return (
    <>
      <h1>Profile</h1>
      {profile.loading && !profile.data ? <Skeleton rows={4} label="Loading your profile" /> : null}
      <ErrorMessage error={profile.error} />
      {profile.data ? <ProfileForm key={profile.data.user_id} profile={profile.data} onSaved={(p) => profile.setData(() => p)} /> : null}
    </>
  );
}
