"use client";
// The frame of the log-in, sign-up, confirmation and password pages.
import type { FormEvent, ReactNode } from "react";
import { Logo } from "@/components/shell/Logo";
import { loadConfig, useSession, type AppConfig } from "@/lib/session";
import { useState } from "react";
import { errorMessage } from "@/lib/api/errors";
import { Button } from "./ui/Button";
import { PageTitle } from "./ui/PageTitle";
import { ErrorMessage, Spinner } from "./ui/Status";

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
    <main className="flex min-h-dvh items-start justify-center bg-surface px-4 py-[10vh]">
      <PageTitle title={title} />
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2 text-lg font-semibold">
          <Logo className="size-8" /> Tasklane
        </div>
        <div className="rounded-xl border border-line bg-raised p-6 shadow-sm">
          <h1 className="mb-4 text-xl font-semibold">{title}</h1>
          <form onSubmit={submit} aria-label={title} className="space-y-3">
            {children}
            <ErrorMessage error={error} />
            <Button type="submit" variant="primary" disabled={pending} className="h-9 w-full">
              {pending ? <Spinner label="Working" /> : null} {submitLabel}
            </Button>
          </form>
        </div>
        {footer ? <div className="mt-4 space-y-2 text-center text-muted [&_a]:font-medium [&_a]:text-accent [&_button]:font-medium [&_button]:text-accent">{footer}</div> : null}
      </div>
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
    <div className="space-y-1">
      <label htmlFor={id} className="block font-medium">
        {label} {hint ? <span className="font-normal text-muted">({hint})</span> : null}
      </label>
      <input id={id} name={id} type={type} value={value} required={required} autoComplete={autoComplete} onChange={(event) => onChange(event.target.value)} className="h-9 w-full" />
    </div>
  );
}

export const PASSWORD_RULES = "12+ characters with upper and lower case letters and a digit";

/** A Cognito step of an auth page: needs the configuration, reports errors in words. */
export function useCognitoStep(step: (config: AppConfig) => Promise<unknown>) {
  const { config, configError } = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setPending(true);
    setError(null);
    try {
      if (configError) throw new Error(configError);
      // Sent before the configuration arrived: wait for it rather than fail.
      await step(config ?? (await loadConfig()));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  };
  return { config, run, pending, error: error ?? configError };
}
