"use client";
// Comments on a task (sharing contract: served once the comments routes ship).
import { useId, useState, type FormEvent } from "react";
import { errorMessage } from "@/lib/api";
import { sessionUserId } from "@/lib/auth";
import { usePaged } from "@/lib/hooks";
import { memberName } from "@/lib/members";
import { useApi, useSession } from "@/lib/session";
import { formatDateTime } from "@/lib/time";
import type { Comment, Member } from "@/lib/types";
import { ConfirmButton } from "./ConfirmButton";
import { FeatureGate } from "./FeatureNotice";
import { ErrorMessage, Skeleton } from "./Status";

export const COMMENTS_PATH = "/tasks/{task_id}/comments";

interface Props {
  taskId: string;
  canWrite: boolean;
  isOwner: boolean;
  members: Member[] | null;
  timeZone: string;
}

function CommentList({ taskId, canWrite, isOwner, members, timeZone }: Props) {
  const api = useApi();
  const { session } = useSession();
  const id = useId();
  const comments = usePaged<Comment>(() => api.listComments(taskId), `comments:${taskId}`);
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const me = sessionUserId(session);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    try {
      const comment = await api.addComment(taskId, body.trim());
      comments.update((list) => [...list, comment]);
      setBody("");
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  const remove = async (comment: Comment) => {
    try {
      await api.deleteComment(taskId, comment.id);
      comments.update((list) => list.filter((c) => c.id !== comment.id));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  if (comments.loading && comments.items.length === 0) return <Skeleton rows={1} label="Loading comments" />;
  return (
    <>
      <ErrorMessage error={comments.error ?? error} />
      <ul className="stack" aria-label="Comments">
        {comments.items.map((comment) => (
          <li key={comment.id}>
            <strong>{comment.author_id === me ? "You" : memberName(members, comment.author_id)}</strong>{" "}
            <span className="hint">{formatDateTime(comment.created_at, timeZone)}</span>
            <p style={{ whiteSpace: "pre-wrap", margin: ".2rem 0" }}>{comment.body}</p>
            {comment.author_id === me || isOwner ? (
              <ConfirmButton label="Delete comment" question="Delete this comment?" onConfirm={() => remove(comment)} />
            ) : null}
          </li>
        ))}
      </ul>
      {comments.items.length === 0 ? <p>No comments yet.</p> : null}
      {canWrite ? (
        <form onSubmit={add}>
          <label htmlFor={id}>Add a comment</label>
          <textarea id={id} value={body} onChange={(e) => setBody(e.target.value)} maxLength={5000} />
          <button type="submit">Comment</button>
        </form>
      ) : null}
    </>
  );
}

export function CommentsPanel(props: Props) {
  return (
    <section aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      <FeatureGate path={COMMENTS_PATH} name="Comments">
        <CommentList {...props} />
      </FeatureGate>
    </section>
  );
}
