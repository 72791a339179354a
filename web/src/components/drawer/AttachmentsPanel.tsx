"use client";
// A task's attachments: upload (progress; the limits said before anything is sent), image
// previews, download, delete.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Download, Paperclip, Trash } from "lucide-react";
import { useEffect, useId, useState, type ChangeEvent } from "react";
import { ConfirmButton } from "@/components/ConfirmButton";
import { IconButton } from "@/components/ui/Button";
import { ErrorMessage, Skeleton } from "@/components/ui/Status";
import { errorMessage } from "@/lib/api/errors";
import type { Attachment } from "@/lib/api/types";
import { formatSize } from "@/lib/dates";
import { keys } from "@/lib/query/keys";
import { useApi } from "@/lib/session";
import { ACCEPTED_TYPES, IMAGE_TYPES, MAX_ATTACHMENTS, rejectFile, uploadToS3 } from "@/lib/upload";


function Thumbnail({ attachment }: { attachment: Attachment }) {
  const api = useApi();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.getAttachment(attachment.task_id, attachment.id, true).then(
      (detail) => live && setUrl(detail.download?.url ?? null),
      () => live && setUrl(null),
    );
    return () => {
      live = false;
    };
  }, [api, attachment.task_id, attachment.id]);
  if (!url) return <span className="size-10 shrink-0 rounded bg-subtle" aria-hidden="true" />;
  // A presigned S3 link: next/image cannot optimise it, and need not.
  // eslint-disable-next-line @next/next/no-img-element
  return <img className="size-10 shrink-0 rounded border border-line object-cover" src={url} alt={`Preview of ${attachment.file_name}`} />;
}

export function AttachmentsPanel({ taskId, canWrite }: { taskId: string; canWrite: boolean }) {
  const api = useApi();
  const client = useQueryClient();
  const inputId = useId();
  const list = useQuery({ queryKey: keys.attachments(taskId), queryFn: () => api.listAttachments(taskId) });
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = list.data ?? [];
  const set = (change: (items: Attachment[]) => Attachment[]) => client.setQueryData<Attachment[]>(keys.attachments(taskId), (current) => change(current ?? []));

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    const refused = rejectFile(file);
    if (refused) {
      setError(refused);
      return;
    }
    setError(null);
    setProgress(0);
    try {
      const started = await api.startUpload(taskId, { file_name: file.name, size: file.size, content_type: file.type });
      set((current) => [...current, started.attachment]);
      await uploadToS3(started.upload, file, setProgress);
      const ready = await api.completeUpload(taskId, started.attachment.id);
      set((current) => current.map((a) => (a.id === ready.id ? ready : a)));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setProgress(null);
    }
  };
  const download = async (attachment: Attachment) => {
    try {
      // Links live one minute: ask for one when it is needed.
      const detail = await api.getAttachment(attachment.task_id, attachment.id);
      if (!detail.download) throw new Error("This file is still being uploaded.");
      const link = document.createElement("a");
      link.href = detail.download.url;
      link.download = attachment.file_name;
      link.rel = "noopener";
      document.body.append(link);
      link.click();
      link.remove();
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  const remove = async (attachment: Attachment) => {
    try {
      await api.deleteAttachment(attachment.task_id, attachment.id);
      set((current) => current.filter((a) => a.id !== attachment.id));
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <section aria-labelledby={`${inputId}-heading`} className="space-y-2">
      <h3 id={`${inputId}-heading`} className="flex items-center gap-1.5 text-xs font-semibold uppercase tracking-wide text-muted">
        <Paperclip className="size-3.5" aria-hidden="true" /> Attachments
      </h3>
      {list.isPending ? <Skeleton rows={1} label="Loading attachments" /> : null}
      <ErrorMessage error={list.error ? errorMessage(list.error) : error} />
      {items.length ? (
        <ul className="space-y-1.5">
          {items.map((attachment) => {
            const ready = attachment.status === "ready";
            return (
              <li key={attachment.id} data-testid="attachment" className="flex items-center gap-2 rounded-md border border-line p-1.5">
                {ready && IMAGE_TYPES.has(attachment.content_type) ? <Thumbnail attachment={attachment} /> : null}
                <span className="min-w-0 flex-1 truncate">{attachment.file_name}</span>
                <span className="shrink-0 text-xs text-muted">{ready ? formatSize(attachment.size) : "uploading…"}</span>
                {ready ? (
                  <IconButton label={`Download ${attachment.file_name}`} size="sm" onClick={() => void download(attachment)}>
                    <Download className="size-4" aria-hidden="true" />
                  </IconButton>
                ) : null}
                {canWrite ? (
                  <ConfirmButton label={`Delete ${attachment.file_name}`} question={`Delete ${attachment.file_name}?`} onConfirm={() => remove(attachment)}>
                    <Trash className="size-4" aria-hidden="true" />
                  </ConfirmButton>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : list.isSuccess ? (
        <p className="text-muted">No files attached.</p>
      ) : null}
      {canWrite ? (
        <div>
          <label htmlFor={inputId} className="inline-flex cursor-pointer items-center gap-1.5 rounded-md border border-dashed border-line px-2.5 py-1.5 text-muted hover:bg-subtle has-[:focus-visible]:outline has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-focus">
            <Paperclip className="size-4" aria-hidden="true" />
            Attach a file
            <input
              id={inputId}
              type="file"
              onChange={upload}
              disabled={progress !== null || items.length >= MAX_ATTACHMENTS}
              aria-describedby={`${inputId}-limits`}
              accept={Object.keys(ACCEPTED_TYPES).join(",")}
              className="sr-only"
            />
          </label>
          <p className="mt-1 text-xs text-muted" id={`${inputId}-limits`}>
            Up to 25 MiB per file and {MAX_ATTACHMENTS} files per task: images, PDF, text, Office and OpenDocument files, ZIP.
          </p>
          {progress !== null ? (
            <p className="mt-1 flex items-center gap-2 text-xs">
              <label htmlFor={`${inputId}-progress`}>Uploading</label>
              <progress id={`${inputId}-progress`} value={progress} max={1} className="h-1.5 w-40 accent-accent" />
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
