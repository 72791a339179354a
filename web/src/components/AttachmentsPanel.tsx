"use client";
// A task's attachments: upload (with progress, limits explained first), thumbnails of
// images, download, delete.
import { useEffect, useId, useState, type ChangeEvent } from "react";
import { errorMessage } from "@/lib/api";
import { useLoad } from "@/lib/hooks";
import { useApi } from "@/lib/session";
import { formatSize } from "@/lib/time";
import type { Attachment } from "@/lib/types";
import { ACCEPTED_TYPES, IMAGE_TYPES, MAX_ATTACHMENTS, rejectFile, uploadToS3 } from "@/lib/upload";
import { ConfirmButton } from "./ConfirmButton";
import { ErrorMessage, Skeleton } from "./Status";

const TYPE_NAMES = [...new Set(Object.values(ACCEPTED_TYPES))].join(", ");

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
  if (!url) return <span className="thumb" aria-hidden="true" />;
  // A presigned S3 link: next/image cannot optimise it, and need not.
  // eslint-disable-next-line @next/next/no-img-element
  return <img className="thumb" src={url} alt={`Preview of ${attachment.file_name}`} />;
}

function AttachmentItem({ attachment, canWrite, onDeleted, onError }: {
  attachment: Attachment;
  canWrite: boolean;
  onDeleted: () => void;
  onError: (message: string | null) => void;
}) {
  const api = useApi();
  const download = async () => {
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
      onError(null);
    } catch (error) {
      onError(errorMessage(error));
    }
  };
  const remove = async () => {
    try {
      await api.deleteAttachment(attachment.task_id, attachment.id);
      onDeleted();
      onError(null);
    } catch (error) {
      onError(errorMessage(error));
    }
  };
  const ready = attachment.status === "ready";
  return (
    <li data-testid="attachment">
      {ready && IMAGE_TYPES.has(attachment.content_type) ? <Thumbnail attachment={attachment} /> : null}
      <span>{attachment.file_name}</span>
      <span className="hint">{formatSize(attachment.size)}</span>
      {ready ? (
        <button type="button" onClick={download} aria-label={`Download ${attachment.file_name}`}>
          Download
        </button>
      ) : (
        <span className="hint">upload not finished</span>
      )}
      {canWrite ? <ConfirmButton label="Delete" question={`Delete ${attachment.file_name}?`} onConfirm={remove} /> : null}
    </li>
  );
}

export function AttachmentsPanel({ taskId, canWrite }: { taskId: string; canWrite: boolean }) {
  const api = useApi();
  const inputId = useId();
  const list = useLoad(async () => (await api.listAttachments(taskId)).items, `attachments:${taskId}`);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = list.data ?? [];

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
      list.setData((current) => [...(current ?? []), started.attachment]);
      await uploadToS3(started.upload, file, setProgress);
      const ready = await api.completeUpload(taskId, started.attachment.id);
      list.setData((current) => current?.map((a) => (a.id === ready.id ? ready : a)));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setProgress(null);
    }
  };

  return (
    <section aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">Attachments</h2>
      {list.loading && !list.data ? <Skeleton rows={1} label="Loading attachments" /> : null}
      <ErrorMessage error={list.error ?? error} />
      {items.length === 0 && !list.loading ? <p>No attachments.</p> : null}
      <ul className="attachments">
        {items.map((attachment) => (
          <AttachmentItem
            key={attachment.id}
            attachment={attachment}
            canWrite={canWrite}
            onError={setError}
            onDeleted={() => list.setData((current) => current?.filter((a) => a.id !== attachment.id))}
          />
        ))}
      </ul>
      {canWrite ? (
        <div className="field">
          <label htmlFor={inputId}>Attach a file</label>
          <p className="hint" id={`${inputId}-limits`}>
            Up to 25 MiB per file and {MAX_ATTACHMENTS} files per task. Accepted: {TYPE_NAMES}. Not SVG or HTML.
          </p>
          <input
            id={inputId}
            type="file"
            onChange={upload}
            disabled={progress !== null || items.length >= MAX_ATTACHMENTS}
            aria-describedby={`${inputId}-limits`}
            accept={Object.keys(ACCEPTED_TYPES).join(",")}
          />
          {progress !== null ? (
            <p>
              <label htmlFor={`${inputId}-progress`}>Uploading</label>
              <progress id={`${inputId}-progress`} value={progress} max={1} />
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
