import { Injectable } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { IiifSource, MetadataValue } from '@recto/database';
import { IngestResult, IngestService } from '@recto/documents';
import { IMPORT_PROVIDER } from '@recto/ocr';
import { createHash } from 'node:crypto';
import {
  IiifManifestUnreachableException,
  IiifNotAManifestException,
  IiifTooManyCanvasesException,
} from './iiif-import.exceptions';
import { IiifResourceFetcher } from './iiif-resource.fetcher';
import { readManifest, SourceManifest } from './manifest.reader';

export interface IiifImportRequest {
  tenantId: string;
  manifestUrl: string;
  filename?: string | null;
  alias?: string | null;
  metadata?: Record<string, MetadataValue>;
  languages?: string[];
  idempotencyKey?: string;
}

/**
 * Imports a IIIF Presentation 2.x or 3 manifest by URL as one document. The request only fetches
 * and reads the manifest (small), so what is wrong with it — unreachable, not a manifest, too many
 * canvases, an address refused — is answered at once; the document is then recorded Processing,
 * with its source canvases (`iiif_source`: ids, spaces, and the image, linked OCR and annotation
 * pages to fetch for each), and the `iiif-import` job queued (IiifImportJobHandler fetches the
 * images in the worker). The source canvas ids are kept, so Content Search answers in the source
 * manifest's canvases.
 */
@Injectable()
export class IiifImportService {
  constructor(
    private readonly config: SharedConfig,
    private readonly fetcher: IiifResourceFetcher,
    private readonly ingest: IngestService,
  ) {}

  import(request: IiifImportRequest): Promise<IngestResult> {
    return this.ingest.ingestDeferred({
      ...request,
      iiifManifest: request.manifestUrl,
      describe: async () => {
        const manifest = await this.fetchManifest(request.manifestUrl);
        if (manifest.canvases.length > this.config.OCR_MAX_PAGES) {
          throw new IiifTooManyCanvasesException(manifest.canvases.length, this.config.OCR_MAX_PAGES);
        }
        const iiifSource: IiifSource = {
          manifest: request.manifestUrl,
          version: manifest.version,
          canvases: manifest.canvases.map(({ id, width, height, imageUrl, ocr, annotations }) => ({
            id,
            width,
            height,
            image: imageUrl,
            ocr,
            // Linked OCR is preferred: the annotations of a canvas that has it are not read.
            ...(!ocr && annotations.length > 0 ? { annotations } : {}),
          })),
        };
        return {
          sha256: iiifImportDigest(iiifSource),
          // The worker joins the canvases' images into one multi-page TIFF.
          mimeType: 'image/tiff',
          filename: `${manifest.label ?? 'iiif-manifest'}.tif`,
          alias: manifest.label,
          // Text on every canvas (linked OCR, or annotations) is imported; else the canvases without are
          // OCRed. Annotations may hold no words: the import job settles it once it has read them.
          ocrProvider: manifest.canvases.every((c) => c.ocr || c.annotations.length > 0)
            ? IMPORT_PROVIDER
            : this.config.OCR_PROVIDER,
          iiifSource,
        };
      },
    });
  }

  private async fetchManifest(url: string): Promise<SourceManifest> {
    const bytes = await this.fetcher.bytes(url, (detail, cause) => new IiifManifestUnreachableException(detail, cause));
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new IiifNotAManifestException('the response is not JSON.');
    }
    return readManifest(json);
  }
}

/**
 * A IIIF import's identity (its `sha256`): of the manifest URL and what it imports of each canvas,
 * so the same manifest again is the same document, and a changed one (other canvases, images or
 * OCR) another. The pages' bytes are not known when the document is recorded.
 */
function iiifImportDigest(source: IiifSource): string {
  return createHash('sha256')
    .update(`recto-iiif\n${JSON.stringify(source)}`)
    .digest('hex');
}
