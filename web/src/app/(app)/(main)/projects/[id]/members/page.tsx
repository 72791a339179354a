"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Avatar } from "@/components/ui/Avatar";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { ErrorMessage, Notice, Skeleton } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { Invitation, Member, Project } from "@/lib/api/types";
import { memberPerson } from "@/lib/people";
import { keys } from "@/lib/query/keys";
import { findProject, MEMBERS_PATH, projectHref, useMe, useMembers, useProjects } from "@/lib/queries";
import { useApi, useFeature, useUser } from "@/lib/session";

type SharedRole = "editor" | "viewer";
const ROLE_WORDS = { owner: "Owner", editor: "Editor", viewer: "Viewer" } as const;

function MemberRow({ project, member, onError }: { project: Project; member: Member; onError: (message: string | null) => void }) {
  const api = useApi();
  const client = useQueryClient();
  const router = useRouter();
  const user = useUser();
  const id = useId();
  const owner = project.role === "owner";
  const me = member.user_id === user.id;
  const profile = useMe();
  // Your own name from your profile (a membership keeps the name it had when it was made).
  const person = me && profile.data ? { ...memberPerson(member), name: profile.data.display_name } : memberPerson(member);
  const act = async (action: () => Promise<unknown>, after?: () => void) => {
    try {
      await action();
      onError(null);
      void client.invalidateQueries({ queryKey: keys.members(project.id) });
      after?.();
    } catch (caught) {
      onError(errorMessage(caught));
    }
  };
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-2 py-2.5">
      <Avatar person={person} labelled={false} />
      <div className="min-w-40 flex-1">
        <p className="truncate font-medium">
          {person.name} {me ? <span className="font-normal text-muted">(you)</span> : null}
        </p>
        <p className="truncate text-xs text-muted">{member.email}</p>
      </div>
      {owner && member.role !== "owner" ? (
        <>
          <label htmlFor={id} className="sr-only">
            Role of {person.name}
          </label>
          <select id={id} value={member.role} onChange={(e) => void act(() => api.changeMemberRole(project.id, member.user_id, e.target.value as SharedRole))} className="h-8 py-0">
            <option value="editor">Editor</option>
            <option value="viewer">Viewer</option>
          </select>
        </>
      ) : (
        <span className="text-muted">{ROLE_WORDS[member.role]}</span>
      )}
      {member.role !== "owner" && (owner || me) ? (
        <ConfirmButton
          label={me ? "Leave project" : `Remove ${person.name}`}
          confirmLabel={me ? "Leave" : "Remove"}
          question={me ? "Leave this project?" : `Remove ${person.name} from ${project.name}?`}
          onConfirm={() =>
            act(
              () => api.removeMember(project.id, member.user_id),
              me
                ? () => {
                    void client.invalidateQueries({ queryKey: keys.projects });
                    router.push("/projects/inbox");
                  }
                : undefined,
            )
          }
        />
      ) : null}
    </li>
  );
}

/** The owner's pending invitations, each revocable. */
function PendingInvitations({ project, onError }: { project: Project; onError: (message: string | null) => void }) {
  const api = useApi();
  const client = useQueryClient();
  const query = useQuery({ queryKey: keys.projectInvitations(project.id), queryFn: () => api.projectInvitations(project.id) });
  const pending: Invitation[] = query.data?.items ?? [];
  if (pending.length === 0) return null;
  const revoke = async (invitation: Invitation) => {
    try {
      await api.revokeInvitation(project.id, invitation.id);
      onError(null);
    } catch (caught) {
      onError(errorMessage(caught));
    }
    void client.invalidateQueries({ queryKey: keys.projectInvitations(project.id) });
  };
  return (
    <section aria-label="Pending invitations">
      <h2 className="mb-1 font-semibold">Pending invitations</h2>
      <ul className="divide-y divide-line">
        {pending.map((invitation) => (
          <li key={invitation.id} className="flex flex-wrap items-center gap-x-3 gap-y-2 py-2.5">
            <p className="min-w-40 flex-1 truncate">{invitation.email}</p>
            <span className="text-muted">{ROLE_WORDS[invitation.role]}</span>
            <ConfirmButton
              label={`Revoke the invitation of ${invitation.email}`}
              confirmLabel="Revoke"
              question={`Revoke the invitation of ${invitation.email}?`}
              onConfirm={() => revoke(invitation)}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Members({ project }: { project: Project }) {
  const api = useApi();
  const client = useQueryClient();
  const members = useMembers(project);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<SharedRole>("editor");
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = useId();
  const share = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const invitation = await api.inviteMember(project.id, email.trim(), role);
      setDone(`Invited ${invitation.email} as ${invitation.role}: they join when they accept.`);
      setProblem(null);
      setEmail("");
      void client.invalidateQueries({ queryKey: keys.projectInvitations(project.id) });
    } catch (caught) {
      setProblem(errorMessage(caught));
      setDone(null);
    }
  };
  return (
    <div className="space-y-5">
      {project.role === "owner" ? (
        <form onSubmit={share} aria-label="Share the project" className="space-y-2 rounded-xl border border-line p-4">
          <h2 className="font-semibold">Share</h2>
          <div className="flex flex-wrap items-end gap-2">
            <div className="min-w-56 flex-1 space-y-1">
              <label htmlFor={`${id}-email`} className="block font-medium">
                E-mail address to invite
              </label>
              <input id={`${id}-email`} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required className="w-full" />
            </div>
            <div className="space-y-1">
              <label htmlFor={`${id}-role`} className="block font-medium">
                Role
              </label>
              <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as SharedRole)} className="h-[34px] py-0">
                <option value="editor">Editor</option>
                <option value="viewer">Viewer</option>
              </select>
            </div>
            <Button type="submit" variant="primary" className="h-[34px]">
              Share
            </Button>
          </div>
          <p className="text-xs text-muted">They get an e-mail and join when they accept, signed in with this address (verified). Editors add, change and delete tasks and comment; viewers only read.</p>
          <ErrorMessage error={problem} />
          {done ? (
            <p role="status" className="text-ok">
              {done}
            </p>
          ) : null}
        </form>
      ) : (
        <ErrorMessage error={problem} />
      )}
      {members === null ? (
        <Skeleton rows={2} label="Loading members" />
      ) : (
        <section aria-label={`Members of ${project.name}`}>
          <ul className="divide-y divide-line">
            {members.map((member) => (
              <MemberRow key={member.user_id} project={project} member={member} onError={setProblem} />
            ))}
          </ul>
        </section>
      )}
      {project.role === "owner" ? <PendingInvitations project={project} onError={setProblem} /> : null}
    </div>
  );
}

export default function MembersPage() {
  const { id } = useParams<{ id: string }>();
  const projects = useProjects();
  const available = useFeature(MEMBERS_PATH);
  const project = findProject(projects.data, id);
  if (projects.isPending) return <Skeleton rows={3} label="Loading the project" />;
  if (!project) return <ErrorMessage error={projects.error ? errorMessage(projects.error) : "Not found, or you no longer have access to it."} />;
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle title={`Members of ${project.name}`} />
      <Link href={projectHref(project)} className="mb-3 inline-flex items-center gap-1 text-muted hover:text-fg">
        <ArrowLeft className="size-4" aria-hidden="true" /> {project.name}
      </Link>
      <h1 className="mb-4 text-xl font-semibold">Members of {project.name}</h1>
      {project.is_inbox ? (
        <Notice>Your Inbox is yours alone: it cannot be shared. Create a project to work with others.</Notice>
      ) : available === false ? (
        <ErrorMessage error="Sharing is not available on this server yet." />
      ) : (
        <Members project={project} />
      )}
    </div>
  );
}
