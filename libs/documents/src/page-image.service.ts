import { Injectable } from '@nestjs/common';
import { PageRepository } from '@recto/database';
import {
  PAGE_IMAGE_RENDERER_VERSION,
  PageImageFormat,
  PageImageRenderer,
  pageImageVariant,
  type PageTurn,
  type QuarterTurn,
} from '@recto/ocr';
import { FileStorage, PageImageCache, PageImageKey } from '@recto/storage';
import { createHash } from 'node:crypto';
import { DocumentService } from './document.service';
import { PageNotFoundException } from './document-exceptions';

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
    const document = await this.documents.get(tenantId, id);
    // Only pages the pipeline has read: also bounds `number` by the real page count.
    const page = await this.pages.findPage(id, number);
    if (!page) throw new PageNotFoundException(number);
    // The picture shows the page as the OCR read it: turned and straightened the same way.
    const turn: PageTurn = { rotation: (page.rotation ?? 0) as QuarterTurn, deskewDegrees: page.deskewDegrees ?? 0 };
    const variant = pageImageVariant(turn);
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
    const name = `${key.sha256}/${key.page}/${key.width}/${key.format}/${key.version}${variant ? `/${variant}` : ''}`;
    const etag = `"${createHash('sha256').update(name).digest('hex').slice(0, 32)}"`;
    const mimeType = format === 'png' ? 'image/png' : 'image/webp';
    const cached = await this.cache.get(key);
    if (cached) return { data: cached, mimeType, etag, width };

    const flightKey = `${tenantId}/${name}`;
    let pending = this.inFlight.get(flightKey);
    if (!pending) {
      pending = this.throttled(async () => {
        const rendered = await this.renderer.render({
          filePath: this.storage.pathOf(document.storageKey),
          mimeType: document.mimeType,
          page: number,
          width,
          format,
          turn,
        });
        await this.cache.put(key, rendered.data);
        return rendered.data;
      }).finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, pending);
    }
    return { data: await pending, mimeType, etag, width };
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
