"use client";
// A project's webhooks (its owner's page): add one (its signing secret shown once, with a
// Copy button), edit, switch off and on, rotate the secret, delete, and each one's delivery
// log. Members see why they cannot manage them.
import { useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Webhook as WebhookIcon } from "lucide-react";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { ConfirmButton } from "@/components/ConfirmButton";
import { CopyField } from "@/components/exchange/CopyField";
import { DeliveryLog } from "@/components/exchange/DeliveryLog";
import { WebhookForm, type WebhookInput } from "@/components/exchange/WebhookForm";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { cx } from "@/components/ui/cx";
import { EmptyState, ErrorMessage, Notice, Skeleton } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { Project, Webhook, WebhookPatch, WebhookSecret } from "@/lib/api/types";
import { formatDateTime } from "@/lib/dates";
import { useWebhooks, WEBHOOKS_PATH } from "@/lib/exchange/queries";
import { eventsSummary } from "@/lib/exchange/webhooks";
import { keys } from "@/lib/query/keys";
import { findProject, projectHref, useProjects, useTimeZone } from "@/lib/queries";
import { useApi, useFeature } from "@/lib/session";

/** The secret, this once: after "Done" only its last characters are ever shown again. */
function SecretOnce({ shown, onDone }: { shown: WebhookSecret; onDone: () => void }) {
  // Rotating from a row far down the list: the focus (and the view) go to the secret.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [shown.secret]);
  return (
    <section aria-label="Signing secret" className="space-y-2 rounded-xl border border-accent bg-accent-soft/40 p-4">
      <h2 ref={heading} tabIndex={-1} className="font-semibold outline-none">
        Signing secret for {shown.webhook.url}
      </h2>
      <CopyField
        label="Signing secret"
        value={shown.secret}
        hint="Shown only now: copy it into your receiver, which checks the X-Tasklane-Signature header with it. Lost it? Rotate the secret."
      />
      <Button variant="primary" onClick={onDone}>
        I have copied it
      </Button>
    </section>
  );
}

function WebhookRow({ project, hook, onSecret }: { project: Project; hook: Webhook; onSecret: (secret: WebhookSecret) => void }) {
  const api = useApi();
  const client = useQueryClient();
  const timeZone = useTimeZone();
  const [mode, setMode] = useState<"view" | "edit" | "log">("view");
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: keys.webhooks(project.id), exact: true });
  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setProblem(null);
      refresh();
    } catch (caught) {
      setProblem(errorMessage(caught));
    }
  };
  const save = async (input: WebhookInput) => {
    // Only what changed: an unchanged URL is not resolved and vetted again.
    const patch: WebhookPatch = {};
    if (input.url !== hook.url) patch.url = input.url;
    if (input.description !== hook.description) patch.description = input.description;
    if (JSON.stringify(input.events) !== JSON.stringify(hook.events)) patch.events = input.events;
    if (Object.keys(patch).length > 0) await api.updateWebhook(project.id, hook.id, patch);
    refresh();
    setMode("view");
  };
  const state = hook.enabled ? "Active" : hook.disabled_reason === "failing" ? "Switched off: deliveries kept failing" : "Switched off";
  return (
    <li className="space-y-2 py-3" data-testid="webhook">
      <div className="flex flex-wrap items-start gap-x-3 gap-y-2">
        <div className="min-w-48 flex-1">
          <p className="break-all font-medium">{hook.url}</p>
          {hook.description ? <p className="text-muted">{hook.description}</p> : null}
          <p className="text-xs text-muted">
            {eventsSummary(hook.events)} · secret {hook.secret_hint} · added {formatDateTime(hook.created_at, timeZone)}
          </p>
          {hook.failures > 0 ? (
            <p className="text-xs text-danger">
              {hook.failures} failed {hook.failures === 1 ? "attempt" : "attempts"} in a row{hook.failing_since ? ` since ${formatDateTime(hook.failing_since, timeZone)}` : ""}.
            </p>
          ) : null}
        </div>
        <span className={cx("rounded-full px-2 py-0.5 text-xs font-medium", hook.enabled ? "bg-accent-soft text-fg" : "bg-danger-soft text-danger")}>{state}</span>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" onClick={() => setMode(mode === "edit" ? "view" : "edit")} aria-expanded={mode === "edit"}>
          Edit
        </Button>
        <Button size="sm" onClick={() => setMode(mode === "log" ? "view" : "log")} aria-expanded={mode === "log"}>
          Delivery log
        </Button>
        <Button size="sm" onClick={() => void act(() => api.updateWebhook(project.id, hook.id, { enabled: !hook.enabled }))}>
          {hook.enabled ? "Switch off" : "Switch on"}
        </Button>
        <ConfirmButton
          label="Rotate secret"
          confirmLabel="Rotate"
          question="Make a new secret? The old one stops signing at once."
          onConfirm={() =>
            act(async () => {
              onSecret(await api.rotateWebhookSecret(project.id, hook.id));
            })
          }
        />
        <ConfirmButton label="Delete" question={`Delete the webhook to ${hook.url} and its log?`} onConfirm={() => act(() => api.deleteWebhook(project.id, hook.id))} />
      </div>
      <ErrorMessage error={problem} />
      {mode === "edit" ? (
        <div className="rounded-lg border border-line p-3">
          <WebhookForm initial={hook} submitLabel="Save" onSubmit={save} onCancel={() => setMode("view")} />
        </div>
      ) : null}
      {mode === "log" ? (
        <section aria-label={`Deliveries to ${hook.url}`} className="rounded-lg border border-line p-3">
          <DeliveryLog projectId={project.id} webhookId={hook.id} />
        </section>
      ) : null}
    </li>
  );
}

function Webhooks({ project }: { project: Project }) {
  const api = useApi();
  const client = useQueryClient();
  const hooks = useWebhooks(project.id, true);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<WebhookSecret | null>(null);
  const create = async (input: WebhookInput) => {
    const created = await api.createWebhook(project.id, input);
    setSecret(created);
    setAdding(false);
    void client.invalidateQueries({ queryKey: keys.webhooks(project.id), exact: true });
  };
  return (
    <div className="space-y-4">
      <p className="text-muted">
        Tasklane sends each change in this project to your URLs as signed JSON, retrying for about a day when a receiver is down. See the API documentation for the payload and how to check its
        signature.
      </p>
      {secret ? <SecretOnce shown={secret} onDone={() => setSecret(null)} /> : null}
      {adding ? (
        <section aria-label="New webhook" className="rounded-xl border border-line p-4">
          <WebhookForm submitLabel="Add webhook" onSubmit={create} onCancel={() => setAdding(false)} />
        </section>
      ) : (
        <Button variant="primary" onClick={() => setAdding(true)}>
          Add webhook
        </Button>
      )}
      {hooks.isPending ? <Skeleton rows={2} label="Loading webhooks" /> : null}
      <ErrorMessage error={hooks.error ? errorMessage(hooks.error) : null} />
      {hooks.data?.length === 0 && !adding ? (
        <EmptyState icon={<WebhookIcon className="size-6" />} title="No webhooks">
          Add one to tell another service — a chat, a CI, your own code — about every change here.
        </EmptyState>
      ) : null}
      {hooks.data && hooks.data.length > 0 ? (
        <ul className="divide-y divide-line" aria-label={`Webhooks of ${project.name}`}>
          {hooks.data.map((hook) => (
            <WebhookRow key={hook.id} project={project} hook={hook} onSecret={setSecret} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export default function WebhooksPage() {
  const { id } = useParams<{ id: string }>();
  const projects = useProjects();
  const available = useFeature(WEBHOOKS_PATH);
  const project = findProject(projects.data, id);
  if (projects.isPending) return <Skeleton rows={3} label="Loading the project" />;
  if (!project) return <ErrorMessage error={projects.error ? errorMessage(projects.error) : "Not found, or you no longer have access to it."} />;
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle title={`Webhooks of ${project.name}`} />
      <Link href={projectHref(project)} className="mb-3 inline-flex items-center gap-1 text-muted hover:text-fg">
        <ArrowLeft className="size-4" aria-hidden="true" /> {project.name}
      </Link>
      <h1 className="mb-4 text-xl font-semibold">Webhooks of {project.name}</h1>
      {available === false ? (
        <ErrorMessage error="Webhooks are not available on this server yet." />
      ) : project.role !== "owner" ? (
        <Notice>Only the project&apos;s owner manages its webhooks.</Notice>
      ) : (
        <Webhooks project={project} />
      )}
    </div>
  );
}
