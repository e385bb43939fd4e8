import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainException, ErrorCode } from '@recto/common';
import { IiifService } from '@recto/iiif';
import type { Request } from 'express';
import { Tenant } from '../auth/tenant.decorator';
import { SearchIiifRequestDto } from '../dto/search-iiif.request.dto';
import { PublicUrl } from '../public-url';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(ErrorCode.DocumentNotFound, 'The document was not found.'),
});

function versionOf(raw: string): 1 | 2 {
  if (raw === '1' || raw === '2') return Number(raw) as 1 | 2;
  throw new DomainException(ErrorCode.NotFound, 'IIIF Content Search versions are 1 and 2.');
}

/** IIIF for viewers such as Mirador and Universal Viewer, which fetch across origins. */
@ApiTags('iiif')
@Controller('v1/documents/:id/iiif')
export class IiifController {
  constructor(
    private readonly iiif: IiifService,
    private readonly publicUrl: PublicUrl,
  ) {}

  @Get('manifest')
  @ApiOperation({ summary: 'IIIF Presentation 3 manifest: one canvas per page, with search services' })
  @Header('Access-Control-Allow-Origin', '*')
  @Header('Content-Type', 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"')
  manifest(@Tenant() tenantId: string, @Param('id', uuid) id: string, @Req() req: Request): Promise<object> {
    return this.iiif.manifest(tenantId, id, this.publicUrl.of(req));
  }

  @Get('search/:version')
  @ApiOperation({ summary: 'IIIF Content Search 1.0 (sc:AnnotationList with hits) or 2.0 (AnnotationPage)' })
  @Header('Access-Control-Allow-Origin', '*')
  search(
    @Tenant() tenantId: string,
    @Param('id', uuid) id: string,
    @Param('version') version: string,
    @Query() query: SearchIiifRequestDto,
    @Req() req: Request,
  ): Promise<object> {
    return this.iiif.searchWithin(tenantId, id, this.publicUrl.of(req), {
      version: versionOf(version),
      q: query.q,
      page: query.page,
      ignored: query.ignoredParameters(),
    });
  }

  @Get('autocomplete/:version')
  @ApiOperation({ summary: 'IIIF Content Search autocomplete (1.0 TermList, 2.0 TermPage)' })
  @Header('Access-Control-Allow-Origin', '*')
  autocomplete(
    @Tenant() tenantId: string,
    @Param('id', uuid) id: string,
    @Param('version') version: string,
    @Query() query: SearchIiifRequestDto,
    @Req() req: Request,
  ): Promise<object> {
    return this.iiif.autocomplete(tenantId, id, this.publicUrl.of(req), {
      version: versionOf(version),
      q: query.q,
      min: query.min,
      ignored: query.ignoredParameters(),
    });
  }
}
