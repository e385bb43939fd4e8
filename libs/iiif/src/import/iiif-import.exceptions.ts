import { DomainException, ErrorCode } from '@recto/common';

const POINTER = '/iiif_manifest';

export class IiifNotAManifestException extends DomainException {
  constructor(reason: string) {
    super(ErrorCode.IiifNotAManifest, `The URL does not hold a IIIF Presentation 2 or 3 manifest: ${reason}`, [
      { pointer: POINTER, detail: 'not a manifest' },
    ]);
  }
}

export class IiifTooManyCanvasesException extends DomainException {
  constructor(count: number, max: number) {
    super(ErrorCode.IiifTooManyCanvases, `The manifest has ${count} canvases; at most ${max} are imported.`, [
      { pointer: POINTER, detail: 'too many canvases' },
    ]);
  }
}

export class IiifManifestUnreachableException extends DomainException {
  constructor(detail: string, cause?: unknown) {
    super(
      ErrorCode.IiifManifestUnreachable,
      `The manifest could not be fetched: ${detail}`,
      [{ pointer: POINTER, detail: 'unreachable' }],
      true,
      cause,
    );
  }
}

/** `permanent` false: the source may answer later (a 5xx, a timeout), so the import job retries. */
export class IiifResourceUnreachableException extends DomainException {
  constructor(what: string, detail: string, cause?: unknown, permanent = true) {
    super(
      ErrorCode.IiifResourceUnreachable,
      `${what} could not be fetched: ${detail}`,
      [{ pointer: POINTER, detail: 'resource unreachable' }],
      permanent,
      cause,
    );
  }
}
