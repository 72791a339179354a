// The browser → S3 leg of an attachment upload: the presigned POST form, with progress.
import type { UploadForm } from "./api/types";

export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
export const MAX_ATTACHMENTS = 20;
export const ACCEPTED_TYPES: Record<string, string> = {
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/gif": "GIF",
  "image/webp": "WebP",
  "application/pdf": "PDF",
  "text/plain": "text",
  "text/csv": "CSV",
  "text/markdown": "Markdown",
  "application/zip": "ZIP",
  "application/msword": "Word",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
  "application/vnd.ms-excel": "Excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
  "application/vnd.ms-powerpoint": "PowerPoint",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
  "application/vnd.oasis.opendocument.text": "OpenDocument text",
  "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
  "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
};
export const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** Why this file cannot be attached, before anything is sent; null when it can. */
export function rejectFile(file: { name: string; size: number; type: string }): string | null {
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_ATTACHMENT_BYTES) return `${file.name} is larger than 25 MiB.`;
  if (!(file.type in ACCEPTED_TYPES)) {
    return `${file.name} is of a type that cannot be attached (${file.type || "unknown"}).`;
  }
  return null;
}

export function uploadToS3(form: UploadForm, file: Blob, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const data = new FormData();
    for (const [key, value] of Object.entries(form.fields)) data.append(key, value);
    data.append(form.file_field ?? "file", file); // the file goes last
    const xhr = new XMLHttpRequest();
    xhr.open(form.method ?? "POST", form.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new Error(`The storage service refused the upload (${xhr.status}).`));
      }
    };
    xhr.onerror = () => reject(new Error("The upload failed: could not reach the storage service."));
    xhr.send(data);
  });
}
