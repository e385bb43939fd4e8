import { DomainException, ErrorCode } from '@recto/common';
import { OcrProvider } from '@recto/ocr';

/** The OCR engines this worker can run, by name (`local`, `mindee`). */
export class OcrProviderRegistry {
  private readonly byName: Map<string, OcrProvider>;

  constructor(providers: OcrProvider[]) {
    this.byName = new Map(providers.map((p) => [p.name, p]));
  }

  get(name: string): OcrProvider {
    const provider = this.byName.get(name);
    if (!provider) {
      throw new DomainException(
        ErrorCode.ProviderError,
        `The OCR provider "${name}" is not configured on this worker (available: ${[...this.byName.keys()].join(', ')}).`,
      );
    }
    return provider;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
