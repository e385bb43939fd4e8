import type { OcrResult } from './ocr-result';

export interface OcrInput {
  documentId: string;
  filePath: string;
  mimeType: string;
  /** Tesseract-style codes ('eng', 'deu'); a hint narrowed to what the provider has. */
  languages?: string[];
  signal?: AbortSignal;
}

export interface OcrProvider {
  readonly name: string;
  recognize(input: OcrInput): Promise<OcrResult>;
  close?(): Promise<void>;
}

/** Injection token for the list of configured providers, in order of preference. */
export const OCR_PROVIDERS = Symbol('OCR_PROVIDERS');
