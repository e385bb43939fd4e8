import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PageImageService } from '@recto/documents';
import type { Response } from 'express';
import { Tenant } from '../auth/tenant.decorator';
import { GetPageImageRequestDto } from '../dto/get-page-image.request.dto';
import { matchesEtag } from '../http/etag';
import { documentIdPipe, pageNumberPipe } from '../http/route-params';

@ApiTags('documents')
@Controller('v1/documents')
export class PageImagesController {
  constructor(private readonly pageImages: PageImageService) {}

  @Get(':id/pages/:number/image')
  @ApiOperation({ summary: 'The page as an image (WebP or PNG) that word polygons line up with' })
  @ApiProduces('image/webp', 'image/png')
  @ApiResponse({ status: 200, description: 'The image' })
  @ApiResponse({ status: 304, description: 'Unchanged (If-None-Match)' })
  async image(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Param('number', pageNumberPipe) number: number,
    @Query() query: GetPageImageRequestDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const image = await this.pageImages.image(tenantId, id, number, query);
    res.setHeader('Content-Type', image.mimeType);
    res.setHeader('ETag', image.etag);
    // A document's bytes never change under its id; `private` because the image is behind a key.
    res.setHeader('Cache-Control', 'private, max-age=86400');
    res.setHeader('Vary', 'Authorization');
    res.setHeader('X-Image-Width', String(image.width));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Checked here rather than by Express, whose freshness test gives up when the request also says
    // `Cache-Control: no-cache` (as fetch() does for every conditional request): an origin server
    // may still answer 304 then.
    if (matchesEtag(ifNoneMatch, image.etag)) {
      res.status(304).end();
      return;
    }
    res.send(image.data);
  }
}
