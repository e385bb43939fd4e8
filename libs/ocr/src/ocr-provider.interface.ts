import type { OcrResult } from './ocr-result';

/** What an earlier attempt of the same OCR run saved, as a provider left it. */
export interface OcrCheckpointState {
  /** The provider's id for the remote job, once it has one (lets webhooks find the run). */
  externalId: string | null;
  data: Record<string, unknown>;
  /** When the state was last saved, to tell a live attempt from an abandoned one. */
  savedAt: Date;
  /** The run was completed by another path (a webhook, another attempt): nothing is left to do. */
  completed: boolean;
}

/**
 * Durable progress of one OCR run, for providers that work remotely and asynchronously: a
 * worker that dies mid-run resumes the remote job instead of starting (and paying for) another.
 */
export interface OcrCheckpoint {
  load(): Promise<OcrCheckpointState | null>;
  /**
   * Saves the state if nobody else saved since this attempt last loaded or saved it. Resolves
   * false when another attempt did: the caller has lost the run and must load again.
   */
  save(update: { externalId?: string | null; data: Record<string, unknown> }): Promise<boolean>;
}

export interface OcrInput {
  documentId: string;
  filePath: string;
  mimeType: string;
  /** The name the file was uploaded under, for providers that keep it with the job. */
  filename?: string;
  /** Tesseract-style codes ('eng', 'deu'); a hint narrowed to what the provider has. */
  languages?: string[];
  signal?: AbortSignal;
  /** Where a remote provider keeps its progress; local engines ignore it. */
  checkpoint?: OcrCheckpoint;
  /**
   * Told the page count as soon as it is known (pagesDone 0) and again as each page is read.
   * Must not throw or block: the engine does not wait for it.
   */
  onProgress?: (progress: OcrProgress) => void;
  /** Stored OCR files of the document (ALTO, hOCR, PAGE), in page order; read by the `import` provider only. */
  ocrFiles?: string[];
  /**
   * The page (1-based) each of `ocrFiles` is the one-page OCR of, when they cover only some pages
   * (a IIIF import whose canvases link OCR here and there): the `import` provider then returns
   * just those pages. Absent: the files follow one another from page 1.
   */
  ocrFilePages?: number[];
  /**
   * Pages (1-based) the caller has from elsewhere (imported OCR): an engine does not recognise
   * them and leaves them out of its result and its progress. An engine that cannot pick pages may
   * return them anyway; the caller keeps its own.
   */
  skipPages?: number[];
  /** False for an OCR-only document: `filePath` is then its first OCR file, not an image. */
  hasImage?: boolean;
}

export interface OcrProgress {
  pageCount: number;
  pagesDone: number;
}

export interface OcrProvider {
  readonly name: string;
  recognize(input: OcrInput): Promise<OcrResult>;
  close?(): Promise<void>;
}

/**
 * Thrown by a provider that finds its run already completed by another path (typically a
 * webhook that delivered the same result): the caller has nothing to store.
 */
export class OcrRunCompletedElsewhereError extends Error {
  constructor(readonly documentId: string) {
    super(`The OCR run of document ${documentId} was completed by another path`);
    this.name = 'OcrRunCompletedElsewhereError';
  }
}

/** Injection token for the list of configured providers, in order of preference. */
export const OCR_PROVIDERS = Symbol('OCR_PROVIDERS');
