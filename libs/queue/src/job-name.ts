export const DOCUMENTS_QUEUE = 'documents';

export enum JobName {
  /** Recognise every page of a document and store its words. */
  Ocr = 'ocr',
  /** Write a document's stored pages to the search index. */
  Index = 'index',
  /**
   * Fetch the images (and linked OCR) of a document recorded from a IIIF manifest, attach them
   * as its page stack, then queue its OCR. Everything it needs is in the document's `iiif_source`.
   */
  IiifImport = 'iiif-import',
}

interface DocumentJob {
  documentId: string;
  /** The HTTP request that caused the job, for log correlation. */
  requestId?: string;
  /**
   * The deployment that queued it (DeploymentIdentity.id), set by JobQueue; a worker of another
   * deployment sharing the queue gives the job back instead of running it. Absent on jobs queued
   * before it existed.
   */
  deployment?: string;
}

export interface JobPayloads {
  [JobName.Ocr]: DocumentJob & { provider: string };
  [JobName.Index]: DocumentJob;
  [JobName.IiifImport]: DocumentJob;
}

/**
 * One id per document and job kind, so the same work is never queued twice. BullMQ forbids a
 * single ':' in custom ids, hence the dot.
 */
export function jobIdOf(name: JobName, documentId: string): string {
  return `${documentId}.${name}`;
}
