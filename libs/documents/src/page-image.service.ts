import { Injectable } from '@nestjs/common';
import { PageRepository } from '@recto/database';
import {
  PAGE_IMAGE_RENDERER_VERSION,
  PageImageFormat,
  PageImageRenderer,
  pageImageVariant,
  type PageRenderFormat,
  type PageTurn,
  type QuarterTurn,
} from '@recto/ocr';
import { FileStorage, PageImageCache, PageImageKey } from '@recto/storage';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DocumentService } from './document.service';
import {
  DocumentFileMissingException,
  PageImageUnavailableException,
  PageNotFoundException,
} from './document.exceptions';
import { hasPageImages } from './mime-sniffer';

/**
 * Widths an image is rendered at: a request is rounded up to the next one, so the cache holds at
 * most this many images per page and format whatever widths clients ask for.
 */
export const PAGE_IMAGE_WIDTHS = [
  16, 32, 64, 128, 192, 256, 320, 400, 480, 640, 800, 960, 1200, 1440, 1600, 1920, 2400, 3000, 4000,
] as const;
export const PAGE_IMAGE_MIN_WIDTH = PAGE_IMAGE_WIDTHS[0];
export const PAGE_IMAGE_MAX_WIDTH = PAGE_IMAGE_WIDTHS[PAGE_IMAGE_WIDTHS.length - 1];
export const PAGE_IMAGE_DEFAULT_WIDTH = 1600;

// Rendering is CPU-bound and runs in the API process: a few at a time keeps the API answering.
const MAX_CONCURRENT_RENDERS = 2;

export interface PageImage {
  data: Buffer;
  mimeType: string;
  /** Strong: the same key always yields the same bytes. */
  etag: string;
  width: number;
}

/** A page's full-resolution rendering on disk. */
export interface PageSource {
  path: string;
  /** The original's, and the source's cache variant: for caches of what is made from it. */
  sha256: string;
  variant: string;
  width: number;
  height: number;
  etag: string;
}

const nameOf = (key: PageImageKey) =>
  `${key.sha256}/${key.page}/${key.width}/${key.format}/${key.version}${key.variant ? `/${key.variant}` : ''}`;
const etagOf = (key: PageImageKey) => `"${createHash('sha256').update(nameOf(key)).digest('hex').slice(0, 32)}"`;

export function pageImageWidthBucket(requested: number): number {
  return PAGE_IMAGE_WIDTHS.find((w) => w >= requested) ?? PAGE_IMAGE_MAX_WIDTH;
}

/** Page images within the caller's tenant, rendered once per (bytes, page, width, format) and kept on disk. */
@Injectable()
export class PageImageService {
  private readonly renderer = new PageImageRenderer();
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly documents: DocumentService,
    private readonly pages: PageRepository,
    private readonly storage: FileStorage,
    private readonly cache: PageImageCache,
  ) {}

  async image(
    tenantId: string,
    id: string,
    number: number,
    options: { width?: number; format?: PageImageFormat },
  ): Promise<PageImage> {
    const { document, turn, variant } = await this.readPage(tenantId, id, number);
    const format = options.format ?? 'webp';
    const width = pageImageWidthBucket(options.width ?? PAGE_IMAGE_DEFAULT_WIDTH);
    const key: PageImageKey = {
      tenantId,
      sha256: document.sha256,
      page: number,
      width,
      format,
      version: PAGE_IMAGE_RENDERER_VERSION,
      variant,
    };
    const mimeType = format === 'png' ? 'image/png' : 'image/webp';
    const data = await this.rendered(key, () =>
      this.renderer.render({ ...this.requestOf(document, number, width, format), turn }),
    );
    return { data, mimeType, etag: etagOf(key), width };
  }

  /**
   * The page at its declared pixel size (the size word polygons and IIIF canvases are in, turned
   * and straightened as the OCR read it) as a tiled multi-resolution TIFF on disk, rendered once:
   * IIIF regions and tiles are cut from it. Its size is the page's, unless the page is beyond the
   * renderer's pixel bound.
   */
  async source(tenantId: string, id: string, number: number): Promise<PageSource> {
    const { document, page, turn, variant } = await this.readPage(tenantId, id, number);
    const width = page.width ?? PAGE_IMAGE_DEFAULT_WIDTH;
    const height = page.height ?? undefined;
    const key: PageImageKey = {
      tenantId,
      sha256: document.sha256,
      page: number,
      width,
      format: 'tif',
      version: PAGE_IMAGE_RENDERER_VERSION,
      variant: `pyramid-h${height ?? ''}${variant ? `-${variant}` : ''}`,
    };
    let path = await this.cache.locate(key);
    if (!path) {
      await this.rendered(key, () =>
        this.renderer.render({ ...this.requestOf(document, number, width, 'pyramid'), height, turn }),
      );
      path = await this.cache.locate(key);
      if (!path) throw new Error(`The rendered page source of ${id} p${number} vanished from the cache`);
    }
    const meta = await sharp(path).metadata();
    return {
      path,
      sha256: document.sha256,
      variant: key.variant as string,
      width: meta.width ?? width,
      height: meta.height ?? height ?? width,
      etag: etagOf(key),
    };
  }

  private async readPage(tenantId: string, id: string, number: number) {
    const document = await this.documents.get(tenantId, id);
    if (!hasPageImages(document.mimeType)) throw new PageImageUnavailableException();
    // Only pages the pipeline has read: also bounds `number` by the real page count.
    const page = await this.pages.findPage(id, number);
    if (!page) throw new PageNotFoundException(number);
    // The picture shows the page as the OCR read it: turned and straightened the same way.
    const turn: PageTurn = { rotation: (page.rotation ?? 0) as QuarterTurn, deskewDegrees: page.deskewDegrees ?? 0 };
    return { document, page, turn, variant: pageImageVariant(turn) };
  }

  private requestOf(
    document: { storageKey: string | null; mimeType: string },
    page: number,
    width: number,
    format: PageRenderFormat,
  ) {
    if (document.storageKey === null) throw new DocumentFileMissingException();
    return { filePath: this.storage.pathOf(document.storageKey), mimeType: document.mimeType, page, width, format };
  }

  /** The cached rendering, or one rendering shared by every concurrent request for it. */
  private async rendered(key: PageImageKey, render: () => Promise<{ data: Buffer }>): Promise<Buffer> {
    const cached = await this.cache.get(key);
    if (cached) return cached;
    const flightKey = `${key.tenantId}/${nameOf(key)}`;
    let pending = this.inFlight.get(flightKey);
    if (!pending) {
      pending = this.throttled(async () => {
        const { data } = await render();
        await this.cache.put(key, data);
        return data;
      }).finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, pending);
    }
    return pending;
  }

  private async throttled<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= MAX_CONCURRENT_RENDERS) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
