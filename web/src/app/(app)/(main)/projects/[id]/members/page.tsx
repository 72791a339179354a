"use client";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { ConfirmButton } from "@/components/ConfirmButton";
import { FeatureGate } from "@/components/FeatureNotice";
import { ErrorMessage, Skeleton } from "@/components/Status";
import { errorMessage } from "@/lib/api";
import { sessionUserId } from "@/lib/auth";
import { MEMBERS_PATH, useMembers } from "@/lib/members";
import { findProject, useProjects } from "@/lib/projects";
import { useApi, useSession } from "@/lib/session";
import type { Member, Project } from "@/lib/types";

type SharedRole = "editor" | "viewer";

function RoleSelect({ id, label, value, onChange }: { id: string; label: string; value: SharedRole; onChange: (role: SharedRole) => void }) {
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as SharedRole)}>
        <option value="editor">Editor</option>
        <option value="viewer">Viewer</option>
      </select>
    </>
  );
}

function MemberRow({ project, member, me, onChanged, onError }: {
  project: Project;
  member: Member;
  me: string | null;
  onChanged: () => void;
  onError: (message: string | null) => void;
}) {
  const api = useApi();
  const router = useRouter();
  const id = useId();
  const isOwner = project.role === "owner";
  const act = async (action: () => Promise<unknown>, after: () => void = onChanged) => {
    try {
      await action();
      onError(null);
      after();
    } catch (caught) {
      onError(errorMessage(caught));
    }
  };
  const name = member.display_name || member.email;
  return (
    <tr>
      <td>
        {name} <span className="hint">{member.email}</span>
      </td>
      <td>
        {isOwner && member.role !== "owner" ? (
          <RoleSelect id={id} label={`Role of ${name}`} value={member.role as SharedRole} onChange={(role) => act(() => api.changeMemberRole(project.id, member.user_id, role))} />
        ) : (
          member.role
        )}
      </td>
      <td>
        {member.role !== "owner" && (isOwner || member.user_id === me) ? (
          <ConfirmButton
            label={member.user_id === me ? "Leave project" : `Remove ${name}`}
            confirmLabel={member.user_id === me ? "Leave" : "Remove"}
            question={member.user_id === me ? "Leave this project?" : `Remove ${name} from ${project.name}?`}
            onConfirm={() =>
              act(
                () => api.removeMember(project.id, member.user_id),
                member.user_id === me ? () => router.push("/projects/inbox") : onChanged,
              )
            }
          />
        ) : null}
      </td>
    </tr>
  );
}

function Members({ project }: { project: Project }) {
  const api = useApi();
  const { session } = useSession();
  const { members, error, reload } = useMembers(project.id);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<SharedRole>("editor");
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = useId();
  const share = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const member = await api.addMember(project.id, email.trim(), role);
      setDone(`Shared with ${member.email} as ${member.role}.`);
      setProblem(null);
      setEmail("");
      reload();
    } catch (caught) {
      setProblem(errorMessage(caught));
      setDone(null);
    }
  };
  return (
    <>
      <ErrorMessage error={error ?? problem} />
      {done ? (
        <p role="status" className="success">
          {done}
        </p>
      ) : null}
      {!members && !error ? <Skeleton rows={2} label="Loading members" /> : null}
      {members ? (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Members of {project.name}</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <MemberRow key={member.user_id} project={project} member={member} me={sessionUserId(session)} onChanged={reload} onError={setProblem} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {project.role === "owner" ? (
        <form onSubmit={share} aria-label="Share the project">
          <h2>Share</h2>
          <div className="row">
            <div className="field">
              <label htmlFor={`${id}-email`}>E-mail of a Tasklane user</label>
              <input id={`${id}-email`} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
            </div>
            <div className="field">
              <RoleSelect id={`${id}-role`} label="Role" value={role} onChange={setRole} />
            </div>
            <button type="submit" className="primary">
              Share
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}

export default function MembersPage() {
  const { id } = useParams<{ id: string }>();
  const projects = useProjects();
  const project = findProject(projects.data, id);
  if (projects.loading && !projects.data) return <Skeleton rows={3} label="Loading the project" />;
  if (!project) return <ErrorMessage error={projects.error ?? "Not found, or you no longer have access to it."} />;
  return (
    <>
      <p>
        <Link href={`/projects/${project.id}`}>← {project.name}</Link>
      </p>
      <h1>Members of {project.name}</h1>
      <p className="hint">Editors can add, change and delete tasks and comment; viewers can only read.</p>
      {project.is_inbox ? (
        <p className="notice">The Inbox cannot be shared.</p>
      ) : (
        <FeatureGate path={MEMBERS_PATH} name="Sharing">
          <Members project={project} />
        </FeatureGate>
      )}
    </>
  );
}
