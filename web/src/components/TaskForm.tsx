"use client";
// Create or edit a task. Due dates are entered in the user's time zone.
import { useId, useState, type FormEvent } from "react";
import { parseLabels, PRIORITY_LABELS, STATUS_LABELS } from "@/lib/tasks";
import { localInputToUtc, utcToLocalInput } from "@/lib/time";
import { PRIORITIES, STATUSES, type Member, type Priority, type Status, type Task, type TaskInput } from "@/lib/types";
import { AssigneePicker } from "./AssigneePicker";
import { LabelledSelect } from "./LabelledSelect";
import { ErrorMessage, Spinner } from "./Status";

interface Props {
  task?: Task;
  timeZone: string;
  labelSuggestions: string[];
  members: Member[] | null;
  submitLabel: string;
  onSubmit: (input: TaskInput) => Promise<boolean>;
  onCancel?: () => void;
  disabled?: boolean;
}

export function TaskForm({ task, timeZone, labelSuggestions, members, submitLabel, onSubmit, onCancel, disabled }: Props) {
  const id = useId();
  const [title, setTitle] = useState(task?.title ?? "");
  const [description, setDescription] = useState(task?.description ?? "");
  const [status, setStatus] = useState<Status>(task?.status ?? "todo");
  const [priority, setPriority] = useState<Priority>(task?.priority ?? "medium");
  const [due, setDue] = useState(utcToLocalInput(task?.due_at ?? null, timeZone));
  const [labels, setLabels] = useState(task?.labels.join(", ") ?? "");
  const [assignee, setAssignee] = useState<string | null>(task?.assignee_id ?? null);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setProblem("A task needs a title.");
      return;
    }
    setProblem(null);
    setPending(true);
    const input: TaskInput = {
      title: title.trim(),
      description,
      status,
      priority,
      due_at: due ? localInputToUtc(due, timeZone) : null,
      labels: parseLabels(labels),
    };
    if (members) input.assignee_id = assignee;
    const done = await onSubmit(input);
    setPending(false);
    if (done && !task) {
      setTitle("");
      setDescription("");
      setStatus("todo");
      setPriority("medium");
      setDue("");
      setLabels("");
    }
  };

  const current = labels.split(",").slice(0, -1).join(",");
  return (
    <form onSubmit={submit} aria-label={task ? "Edit task" : "New task"} className="stack">
      <div className="field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input id={`${id}-title`} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required disabled={disabled} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={10000} disabled={disabled} />
      </div>
      <div className="row">
        <LabelledSelect label="Status" value={status} onChange={setStatus} options={STATUSES.map((s) => [s, STATUS_LABELS[s]] as const)} disabled={disabled} />
        <LabelledSelect
          label="Priority"
          value={priority}
          onChange={setPriority}
          options={PRIORITIES.map((p) => [p, PRIORITY_LABELS[p]] as const)}
          disabled={disabled}
        />
        <div className="field">
          <label htmlFor={`${id}-due`}>
            Due <span className="hint">({timeZone})</span>
          </label>
          <input id={`${id}-due`} type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} disabled={disabled} />
        </div>
        {members ? <AssigneePicker id={`${id}-assignee`} members={members} value={assignee} onChange={setAssignee} disabled={disabled} /> : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-labels`}>
          Labels <span className="hint">(comma-separated)</span>
        </label>
        <input id={`${id}-labels`} value={labels} onChange={(e) => setLabels(e.target.value)} list={`${id}-label-suggestions`} disabled={disabled} />
        <datalist id={`${id}-label-suggestions`}>
          {labelSuggestions.map((label) => (
            <option key={label} value={current ? `${current}, ${label}` : label} />
          ))}
        </datalist>
      </div>
      <ErrorMessage error={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={pending || disabled}>
          {pending ? <Spinner label="Saving" /> : null} {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
