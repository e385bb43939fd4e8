import { DomainException, ErrorCode, NotFoundException } from '@recto/common';
import { SUPPORTED_TYPES_TEXT } from './mime-sniffer';

export class DocumentNotFoundException extends NotFoundException {
  constructor() {
    super('The document', ErrorCode.DocumentNotFound);
  }
}

export class PageNotFoundException extends NotFoundException {
  constructor(number: number) {
    super(`Page ${number}`, ErrorCode.PageNotFound);
  }
}

export class UnsupportedFileTypeException extends DomainException {
  constructor() {
    super(
      ErrorCode.UnsupportedMediaType,
      `The file's content is not a supported type (detected from its bytes; supported: ${SUPPORTED_TYPES_TEXT}).`,
      [{ pointer: '/file', detail: 'unsupported content type' }],
    );
  }
}

export class EmptyFileException extends DomainException {
  constructor() {
    super(ErrorCode.EmptyFile, 'The file is empty.', [{ pointer: '/file', detail: 'zero bytes' }]);
  }
}

export class DocumentBusyException extends DomainException {
  constructor() {
    super(ErrorCode.Conflict, 'The document is being processed right now; try again when it has finished.');
  }
}

export class IdempotencyKeyReusedException extends DomainException {
  constructor() {
    super(
      ErrorCode.IdempotencyKeyReused,
      'This Idempotency-Key was already used with a different request (another file or other fields); ' +
        'use a new key for a new upload.',
      [{ pointer: null, detail: 'Idempotency-Key' }],
    );
  }
}

export class PageImageUnavailableException extends DomainException {
  constructor() {
    super(
      ErrorCode.PageImageUnavailable,
      'The document was imported from OCR files only (no image was uploaded): it has no page images. Its words, search and highlights work; show them over the images where they live.',
    );
  }
}

export class ProviderNotAvailableException extends DomainException {
  constructor(provider: string) {
    super(
      ErrorCode.ProviderNotAvailable,
      `The OCR provider "${provider}" is not configured on any running worker of this server` +
        (provider === 'mindee' ? ' (a worker runs Mindee with MINDEE_API_KEY and MINDEE_MODEL_ID set).' : '.'),
      [{ pointer: '/provider', detail: 'not available' }],
    );
  }
}

export class DocumentNotProcessedException extends DomainException {
  constructor(status: string) {
    super(
      ErrorCode.DocumentNotProcessed,
      `The document is ${status}, not Processed: it can be exported once its processing has finished.`,
    );
  }
}

export class ExportUnavailableException extends DomainException {
  constructor(detail: string) {
    super(ErrorCode.ExportUnavailable, detail, [{ pointer: '/format', detail: 'not available for this document' }]);
  }
}

export class ReprocessNotPossibleException extends DomainException {
  constructor(detail: string) {
    super(ErrorCode.ValidationFailed, detail, [{ pointer: '/provider', detail }]);
  }
}

/** A IIIF import whose worker job has not attached the fetched images (yet, or ever: it failed). */
export class DocumentFileMissingException extends DomainException {
  constructor() {
    super(
      ErrorCode.Conflict,
      'The document has no file yet: its images are still being fetched from its IIIF source (or the import failed; see its error).',
    );
  }
}
