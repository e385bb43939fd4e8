import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IiifAccessService } from '@recto/iiif';
import type { Request } from 'express';
import { Tenant } from '../auth/tenant.decorator';
import { CreateIiifLinkRequestDto } from '../dto/create-iiif-link.request.dto';
import { IiifLinkResponseDto } from '../dto/iiif-link.response.dto';
import { PublicUrl } from '../public-url';
import { documentIdPipe } from '../http/route-params';

/** Signed links are made with a key only: a link never mints another one. */
@ApiTags('iiif')
@Controller('v1/documents/:id/iiif/links')
export class IiifLinksController {
  constructor(
    private readonly access: IiifAccessService,
    private readonly publicUrl: PublicUrl,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'A signed, expiring IIIF link to the document for viewers that cannot send a key' })
  @ApiResponse({ status: 201, type: IiifLinkResponseDto })
  async create(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Body() body: CreateIiifLinkRequestDto,
    @Req() req: Request,
  ): Promise<IiifLinkResponseDto> {
    const link = await this.access.createLink(tenantId, id, this.publicUrl.of(req), body.expires_in);
    return { manifest: link.manifest, expires_at: link.expiresAt.toISOString() };
  }
}
