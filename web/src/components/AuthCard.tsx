"use client";
// The frame of the log-in, sign-up, confirmation and password pages.
import type { FormEvent, ReactNode } from "react";
import type { AppConfig } from "@/lib/config";
import { useAction } from "@/lib/hooks";
import { useSession } from "@/lib/session";
import { ErrorMessage, Spinner } from "./Status";

interface Props {
  title: string;
  submitLabel: string;
  pending: boolean;
  error: string | null;
  onSubmit: () => void;
  children: ReactNode;
  footer?: ReactNode;
}

export function AuthCard({ title, submitLabel, pending, error, onSubmit, children, footer }: Props) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <main className="card">
      <h1>{title}</h1>
      <form onSubmit={submit} aria-label={title}>
        {children}
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={pending}>
          {pending ? <Spinner label="Working" /> : null} {submitLabel}
        </button>
      </form>
      {footer ? <div className="stack" style={{ marginTop: "1rem" }}>{footer}</div> : null}
    </main>
  );
}

interface FieldProps {
  id: string;
  label: string;
  type?: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete?: string;
  hint?: string;
  required?: boolean;
}

export function TextField({ id, label, type = "text", value, onChange, autoComplete, hint, required = true }: FieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} {hint ? <span className="hint">({hint})</span> : null}
      </label>
      <input
        id={id}
        name={id}
        type={type}
        value={value}
        required={required}
        autoComplete={autoComplete}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

export const PASSWORD_RULES = "12+ characters with upper and lower case letters and a digit";

/** A Cognito step of an auth page: needs the configuration, reports errors in words. */
export function useCognitoStep(step: (config: AppConfig) => Promise<unknown>) {
  const { config, configError } = useSession();
  const action = useAction(async () => {
    if (!config) throw new Error(configError ?? "Still loading the configuration: try again in a moment.");
    await step(config);
  });
  return { config, run: action.run, pending: action.pending, error: action.error ?? configError };
}
