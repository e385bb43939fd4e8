import { Injectable } from '@nestjs/common';
import { PageImageService } from '@recto/documents';
import { PAGE_IMAGE_RENDERER_VERSION } from '@recto/ocr';
import { PageImageCache, PageImageKey } from '@recto/storage';
import { createHash } from 'node:crypto';
import { IiifLocation, iiifUrlsOf } from '../access/iiif-access.service';
import type { JsonObject } from '../iiif-types';
import { buildImageInfo, imageLimitsOf, isAnnouncedRequest } from './image-info.builder';
import { IMAGE_MIME_TYPES, ImageRegionRenderer } from './image-region.renderer';
import { ImageRequestParams, parseImageRequest } from './image-request.parser';

/** Bumped when the pixels cut from a source change (kernel, encoder settings). */
const IMAGE_API_RENDER_VERSION = 1;

export interface IiifImageResponse {
  data: Buffer;
  mimeType: string;
  etag: string;
  /** `region/size/rotation/quality.format` in canonical form. */
  canonical: string;
}

/**
 * IIIF Image API 3.0 over a page's full-resolution source: info.json and image requests. Tiles
 * and listed sizes are cached next to the page images (same tenant/original directory, so they
 * go when the document does); other requests are cut fresh each time.
 */
@Injectable()
export class IiifImageService {
  private readonly renderer = new ImageRegionRenderer();

  constructor(
    private readonly pageImages: PageImageService,
    private readonly cache: PageImageCache,
  ) {}

  async info(tenantId: string, documentId: string, page: number, location: IiifLocation): Promise<JsonObject> {
    const source = await this.pageImages.source(tenantId, documentId, page);
    return buildImageInfo(iiifUrlsOf(location, documentId).imageService(page), source);
  }

  async image(
    tenantId: string,
    documentId: string,
    page: number,
    params: ImageRequestParams,
  ): Promise<IiifImageResponse> {
    const source = await this.pageImages.source(tenantId, documentId, page);
    const request = parseImageRequest(params, source, imageLimitsOf(source));
    const version = PAGE_IMAGE_RENDERER_VERSION * 1000 + IMAGE_API_RENDER_VERSION;
    const etag = `"${createHash('sha256').update(`${source.etag}/${version}/${request.canonical}`).digest('hex').slice(0, 32)}"`;
    const result = (data: Buffer) => ({
      data,
      mimeType: IMAGE_MIME_TYPES[request.format],
      etag,
      canonical: request.canonical,
    });
    if (!isAnnouncedRequest(request, source)) return result(await this.renderer.render(source.path, source, request));
    const key: PageImageKey = {
      tenantId,
      sha256: source.sha256,
      page,
      width: source.width,
      format: request.format,
      version,
      variant: `iiif:${source.variant}:${request.canonical}`,
    };
    const cached = await this.cache.get(key);
    if (cached) return result(cached);
    const data = await this.renderer.render(source.path, source, request);
    await this.cache.put(key, data);
    return result(data);
  }
}
