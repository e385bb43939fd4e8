import type { RectoClient } from './recto.client';

export interface DocumentUpload {
  /** The scan; a file-backed Blob (Node's `openAsBlob`) streams from disk. Left out for an OCR-only document (its OCR file as an `ocr` part). */
  file?: Blob;
  filename?: string;
  /** Other multipart fields: `alias`, `language`, `metadata` (a JSON string), … */
  fields?: Record<string, string>;
  /** Further parts sent beside the scan, e.g. existing OCR files as `ocr`. */
  parts?: { name: string; file: Blob; filename: string }[];
  idempotencyKey?: string;
}

/** `POST /v1/documents` as multipart: the one place the client builds an upload's form. */
export function uploadDocument(client: RectoClient, upload: DocumentUpload) {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields ?? {})) form.append(name, value);
  if (upload.file) form.append('file', upload.file, upload.filename ?? 'scan');
  for (const part of upload.parts ?? []) form.append(part.name, part.file, part.filename);
  return client.POST('/v1/documents', {
    body: {},
    // The typed body describes the fields; the form carries them (and the file) as multipart.
    bodySerializer: () => form,
    params: { header: upload.idempotencyKey ? { 'Idempotency-Key': upload.idempotencyKey } : {} },
  });
}
