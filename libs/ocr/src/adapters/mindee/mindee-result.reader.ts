import { DomainException, ErrorCode } from '@recto/common';
import type { OcrResult } from '../../ocr-result';
import { inspectFile, MINDEE_MAX_BYTES, MINDEE_MAX_PAGES } from './mindee-file.inspector';
import { toOcrResult } from './mindee-result.mapper';
import { MindeeSchemaValidator } from './mindee-schema.validator';
import type { MindeeOcrResponse } from './mindee-types';

/**
 * Turns an `OCRResponse` — fetched by polling or pushed by a webhook — into our OcrResult; one
 * path for both, so that both store exactly the same pages.
 */
export class MindeeResultReader {
  constructor(private readonly validator = new MindeeSchemaValidator()) {}

  /** Parses and validates a payload against the published OCRResponse schema. */
  parse(body: unknown): MindeeOcrResponse {
    let value = body;
    if (Buffer.isBuffer(body) || typeof body === 'string') {
      try {
        value = JSON.parse(body.toString());
      } catch {
        throw new DomainException(ErrorCode.ValidationFailed, 'The Mindee payload is not JSON.');
      }
    }
    const problems = this.validator.problems('OCRResponse', value);
    if (problems.length > 0) {
      throw new DomainException(
        ErrorCode.ProviderError,
        `Mindee's result does not match its published OCRResponse schema: ${problems.join('; ')}.`,
        problems.map((detail) => ({ pointer: null, detail })),
      );
    }
    return value as MindeeOcrResponse;
  }

  /** The result with page sizes read from the file that was sent. */
  async toOcrResult(response: MindeeOcrResponse, filePath: string): Promise<OcrResult> {
    const file = await inspectFile(filePath, { maxBytes: Infinity, maxPages: Infinity });
    return toOcrResult(response, file.pages);
  }
}

export { MINDEE_MAX_BYTES, MINDEE_MAX_PAGES };
