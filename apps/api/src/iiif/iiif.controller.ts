import { Controller, Get, Header, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { DomainException, ErrorCode } from '@recto/common';
import { IiifImageService, IiifLocation, IiifService } from '@recto/iiif';
import type { Request, Response } from 'express';
import { IiifLinkRoute } from '../auth/iiif-link.decorator';
import { Tenant } from '../auth/tenant.decorator';
import { SearchIiifRequestDto } from '../dto/search-iiif.request.dto';
import { matchesEtag } from '../http/etag';
import { PublicUrl } from '../public-url';
import { documentIdPipe, pageNumberPipe } from '../http/route-params';

function versionOf(raw: string): 1 | 2 {
  if (raw === '1' || raw === '2') return Number(raw) as 1 | 2;
  throw new DomainException(ErrorCode.NotFound, 'IIIF Content Search versions are 1 and 2.');
}

const PRESENTATION_3 = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"';
const IMAGE_3 = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"';
const LEVEL_2 = 'http://iiif.io/api/image/3/level2.json';

/**
 * IIIF for viewers such as Mirador, Universal Viewer and OpenSeadragon: under the document with an
 * API key, or under a signed link (`/v1/iiif/<token>/<id>/…`, see IiifLinksController) for
 * viewers that cannot send one. CORS is iiifCors's.
 */
@ApiTags('iiif')
@IiifLinkRoute()
@Controller({ path: ['v1/documents/:id/iiif', 'v1/iiif/:token/:id'] })
export class IiifController {
  constructor(
    private readonly iiif: IiifService,
    private readonly images: IiifImageService,
    private readonly publicUrl: PublicUrl,
  ) {}

  private location(req: Request): IiifLocation {
    const token = req.params.token;
    return { base: this.publicUrl.of(req), token: typeof token === 'string' ? token : undefined };
  }

  @Get('manifest')
  @ApiOperation({ summary: 'IIIF Presentation 3 manifest: one canvas per page, image services, search services' })
  @Header('Content-Type', PRESENTATION_3)
  manifest(@Tenant() tenantId: string, @Param('id', documentIdPipe) id: string, @Req() req: Request): Promise<object> {
    return this.iiif.manifest(tenantId, id, this.location(req));
  }

  @Get('search/:version')
  @ApiOperation({ summary: 'IIIF Content Search 1.0 (sc:AnnotationList with hits) or 2.0 (AnnotationPage)' })
  search(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Param('version') version: string,
    @Query() query: SearchIiifRequestDto,
    @Req() req: Request,
  ): Promise<object> {
    return this.iiif.searchWithin(tenantId, id, this.location(req), {
      version: versionOf(version),
      q: query.q,
      page: query.page,
      matching: { typos: query.typos, prefix: query.prefix },
      ignored: query.ignoredParameters(),
    });
  }

  @Get('autocomplete/:version')
  @ApiOperation({ summary: 'IIIF Content Search autocomplete (1.0 TermList, 2.0 TermPage)' })
  autocomplete(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Param('version') version: string,
    @Query() query: SearchIiifRequestDto,
    @Req() req: Request,
  ): Promise<object> {
    return this.iiif.autocomplete(tenantId, id, this.location(req), {
      version: versionOf(version),
      q: query.q,
      min: query.min,
      ignored: query.ignoredParameters(),
    });
  }

  @Get('image/:page/info.json')
  @ApiOperation({ summary: 'IIIF Image API 3.0 image information (level 2, tiles and sizes) of a page' })
  async imageInfo(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Param('page', pageNumberPipe) page: number,
    @Headers('accept') accept: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const info = await this.images.info(tenantId, id, page, this.location(req));
    // JSON-LD only to clients that ask for it (§5.1); plain JSON otherwise.
    res.setHeader('Content-Type', accept?.includes('application/ld+json') ? IMAGE_3 : 'application/json');
    res.setHeader('Link', `<${LEVEL_2}>;rel="profile"`);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    // A Buffer, so Express adds no charset parameter inside the profile'd media type.
    res.send(Buffer.from(JSON.stringify(info)));
  }

  @Get('image/:page')
  @ApiOperation({ summary: 'The image service base URI: redirects to its info.json' })
  async imageBase(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Param('page', pageNumberPipe) page: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    // Resolved first, so that another tenant's page is a 404 here too (and info.json is then ready).
    await this.images.info(tenantId, id, page, this.location(req));
    res.redirect(303, `${req.path.replace(/\/+$/, '')}/info.json`);
  }

  @Get('image/:page/:region/:size/:rotation/:file')
  @ApiOperation({ summary: 'IIIF Image API 3.0 image request: {region}/{size}/{rotation}/{quality}.{format}' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  async image(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Param('page', pageNumberPipe) page: number,
    @Param('region') region: string,
    @Param('size') size: string,
    @Param('rotation') rotation: string,
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const dot = file.lastIndexOf('.');
    const quality = dot < 0 ? file : file.slice(0, dot);
    const format = dot < 0 ? '' : file.slice(dot + 1);
    const image = await this.images.image(tenantId, id, page, { region, size, rotation, quality, format });
    const service = `${this.publicUrl.of(req)}${req.path.split('/').slice(0, -4).join('/')}`;
    res.setHeader('Content-Type', image.mimeType);
    res.setHeader('ETag', image.etag);
    res.setHeader('Cache-Control', 'private, max-age=86400');
    res.setHeader('Vary', 'Authorization');
    res.setHeader('Link', `<${LEVEL_2}>;rel="profile", <${service}/${image.canonical}>;rel="canonical"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (matchesEtag(ifNoneMatch, image.etag)) {
      res.status(304).end();
      return;
    }
    res.send(image.data);
  }
}
