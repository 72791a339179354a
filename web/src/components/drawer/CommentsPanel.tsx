"use client";
// Comments on a task, people by display name with their initials.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { MessageSquare, Trash } from "lucide-react";
import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Avatar } from "@/components/ui/Avatar";
import { Button } from "@/components/ui/Button";
import { ErrorMessage, Skeleton } from "@/components/ui/Status";
import { collectAll } from "@/lib/api/client";
import { errorMessage } from "@/lib/api/errors";
import type { Comment, Member } from "@/lib/api/types";
import { formatDateTime, relativeDateTime } from "@/lib/dates";
import { personOf } from "@/lib/people";
import { keys } from "@/lib/query/keys";
import { useApi, useFeature } from "@/lib/session";

export const COMMENTS_PATH = "/tasks/{task_id}/comments";

interface Props {
  taskId: string;
  canWrite: boolean;
  isOwner: boolean;
  members: readonly Member[] | null;
  me: { id: string; name: string };
  timeZone: string;
}

export function CommentsPanel({ taskId, canWrite, isOwner, members, me, timeZone }: Props) {
  const api = useApi();
  const client = useQueryClient();
  const available = useFeature(COMMENTS_PATH);
  const id = useId();
  const comments = useQuery({ queryKey: keys.comments(taskId), queryFn: () => collectAll((cursor) => api.listComments(taskId, cursor)), enabled: available === true });
  const [body, setBody] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (change: (items: Comment[]) => Comment[]) => client.setQueryData<Comment[]>(keys.comments(taskId), (current) => change(current ?? []));

  const add = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!body.trim() || pending) return;
    setPending(true);
    try {
      const comment = await api.addComment(taskId, body.trim());
      set((list) => [...list, comment]);
      setBody("");
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught)); // the text stays in the box
    } finally {
      setPending(false);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) void add();
  };
  const remove = async (comment: Comment) => {
    try {
      await api.deleteComment(taskId, comment.id);
      set((list) => list.filter((c) => c.id !== comment.id));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  if (available === false) return null;
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-2">
      <h3 id={`${id}-heading`} className="flex items-center gap-1.5 text-xs font-semibold uppercase tracking-wide text-muted">
        <MessageSquare className="size-3.5" aria-hidden="true" /> Comments
      </h3>
      {comments.isPending ? <Skeleton rows={1} label="Loading comments" /> : null}
      <ErrorMessage error={comments.error ? errorMessage(comments.error) : error} />
      {comments.data?.length ? (
        <ul className="space-y-3" aria-label="Comments">
          {comments.data.map((comment) => {
            const author = personOf(comment.author_id, members, me) ?? { id: comment.author_id, name: "Someone" };
            return (
              <li key={comment.id} className="flex gap-2">
                <Avatar person={author} labelled={false} />
                <div className="min-w-0 flex-1">
                  <div className="flex items-center gap-2">
                    <span className="font-medium">{comment.author_id === me.id ? "You" : author.name}</span>
                    <time dateTime={comment.created_at} title={formatDateTime(comment.created_at, timeZone)} className="text-xs text-muted">
                      {relativeDateTime(comment.created_at, timeZone)}
                    </time>
                    {comment.author_id === me.id || isOwner ? (
                      <span className="ml-auto">
                        <ConfirmButton label="Delete comment" question="Delete this comment?" onConfirm={() => remove(comment)}>
                          <Trash className="size-3.5" aria-hidden="true" />
                        </ConfirmButton>
                      </span>
                    ) : null}
                  </div>
                  <p className="whitespace-pre-wrap [overflow-wrap:anywhere]">{comment.body}</p>
                </div>
              </li>
            );
          })}
        </ul>
      ) : comments.isSuccess ? (
        <p className="text-muted">No comments yet.</p>
      ) : null}
      {canWrite ? (
        <form onSubmit={add} className="space-y-1.5">
          <label htmlFor={id} className="sr-only">
            Add a comment
          </label>
          <textarea id={id} value={body} onChange={(e) => setBody(e.target.value)} onKeyDown={onKeyDown} maxLength={5000} rows={2} placeholder="Add a comment… (Ctrl+Enter sends)" className="w-full" />
          <div className="flex justify-end">
            <Button type="submit" variant="primary" size="sm" disabled={pending || !body.trim()}>
              Comment
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
