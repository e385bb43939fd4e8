import { OcrInput, OcrProvider, OcrResult } from '@recto/ocr';

/**
 * An OCR provider for suites where OCR is not the subject: answers from a function of the input
 * (and can be told to fail), so the rest of the pipeline runs on real services.
 */
export class FakeOcrProvider implements OcrProvider {
  readonly calls: OcrInput[] = [];

  constructor(
    private readonly answer: (input: OcrInput) => OcrResult | Promise<OcrResult>,
    readonly name = 'local',
  ) {}

  async recognize(input: OcrInput): Promise<OcrResult> {
    this.calls.push(input);
    return this.answer(input);
  }
}
