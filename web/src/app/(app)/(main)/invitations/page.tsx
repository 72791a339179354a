"use client";
// Your pending invitations (GET /invitations: those to your verified e-mail address), each
// accepted or declined here. The invitation e-mail links to this page.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { MailOpen } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { EmptyState, ErrorMessage, Skeleton } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { Invitation } from "@/lib/api/types";
import { formatDateTime } from "@/lib/dates";
import { keys } from "@/lib/query/keys";
import { useTimeZone } from "@/lib/queries";
import { useApi } from "@/lib/session";

const ROLE_WORDS = { owner: "owner", editor: "an editor", viewer: "a viewer" } as const;

function InvitationRow({ invitation, onError }: { invitation: Invitation; onError: (message: string | null) => void }) {
  const api = useApi();
  const client = useQueryClient();
  const router = useRouter();
  const timeZone = useTimeZone();
  const [busy, setBusy] = useState(false);
  const act = async (action: () => Promise<unknown>, after?: () => void) => {
    setBusy(true);
    try {
      await action();
      onError(null);
      void client.invalidateQueries({ queryKey: keys.invitations });
      after?.();
    } catch (caught) {
      onError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const accept = () =>
    act(
      () => api.acceptInvitation(invitation.id),
      () => {
        void client.invalidateQueries({ queryKey: keys.projects });
        router.push(`/projects/${invitation.project_id}`);
      },
    );
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-2 py-3" data-testid="invitation">
      <div className="min-w-48 flex-1">
        <p className="font-medium">{invitation.project_name}</p>
        <p className="text-xs text-muted">
          {invitation.inviter_name} invited you as {ROLE_WORDS[invitation.role]} · open until {formatDateTime(invitation.expires_at, timeZone)}
        </p>
      </div>
      <Button size="sm" variant="primary" disabled={busy} onClick={() => void accept()}>
        Accept {invitation.project_name}
      </Button>
      <Button size="sm" disabled={busy} onClick={() => void act(() => api.declineInvitation(invitation.id))}>
        Decline {invitation.project_name}
      </Button>
    </li>
  );
}

export default function InvitationsPage() {
  const api = useApi();
  const [problem, setProblem] = useState<string | null>(null);
  const query = useQuery({ queryKey: keys.invitations, queryFn: () => api.myInvitations() });
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle title="Invitations" />
      <h1 className="mb-4 text-xl font-semibold">Invitations</h1>
      <ErrorMessage error={problem} className="mb-3" />
      {query.isPending ? (
        <Skeleton rows={2} label="Loading invitations" />
      ) : query.error ? (
        <ErrorMessage error={errorMessage(query.error)} />
      ) : query.data.items.length === 0 ? (
        <EmptyState icon={<MailOpen className="size-8" />} title="No invitations">
          When the owner of a project invites your verified e-mail address, the invitation waits here.
        </EmptyState>
      ) : (
        <section aria-label="Pending invitations">
          <ul className="divide-y divide-line">
            {query.data.items.map((invitation) => (
              <InvitationRow key={invitation.id} invitation={invitation} onError={setProblem} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
