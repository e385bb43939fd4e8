import { DomainException, ErrorCode } from '@recto/common';

/**
 * An OCR file that cannot be read: not ALTO/hOCR/PAGE, malformed beyond recovery, or hostile
 * (entity declarations, nesting or size past the limits). Permanent: the same bytes fail again.
 */
export class InvalidOcrFileException extends DomainException {
  constructor(detail: string, pointer: string | null = null) {
    super(ErrorCode.InvalidOcrFile, `The OCR file cannot be imported: ${detail}`, [{ pointer, detail }]);
  }
}
