import { Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainException, ErrorCode } from '@recto/common';
import { PageImageService } from '@recto/documents';
import type { Response } from 'express';
import { Tenant } from '../auth/tenant.decorator';
import { GetPageImageRequestDto } from '../dto/get-page-image.request.dto';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(ErrorCode.DocumentNotFound, 'The document was not found.'),
});
const pageNumber = new ParseIntPipe({
  exceptionFactory: () => new DomainException(ErrorCode.PageNotFound, 'The page was not found.'),
});

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
    @Param('id', uuid) id: string,
    @Param('number', pageNumber) number: number,
    @Query() query: GetPageImageRequestDto,
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
    // Express answers 304 itself when If-None-Match matches the ETag set above.
    res.send(image.data);
  }
}
