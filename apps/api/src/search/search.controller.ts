import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SearchService } from '@recto/search';
import { Tenant } from '../auth/tenant.decorator';
import { SearchDocumentRequestDto, SearchPagesRequestDto } from '../dto/search-pages.request.dto';
import { SearchResponseDto } from '../dto/search.response.dto';
import { documentIdPipe } from '../http/route-params';
import { MetadataFilters } from './metadata-filters.decorator';

@ApiTags('search')
@Controller('v1')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('search')
  @ApiOperation({ summary: 'Search all pages; one hit per page, with word polygons' })
  @ApiResponse({ status: 200, type: SearchResponseDto })
  async searchAll(
    @Tenant() tenantId: string,
    @Query() query: SearchPagesRequestDto,
    @MetadataFilters() metadata: Record<string, string>,
  ): Promise<SearchResponseDto> {
    return SearchResponseDto.from(
      await this.search.search({
        tenantId,
        q: query.q,
        documentId: query.document_id,
        mimeType: query.mime_type,
        createdFrom: query.created_from,
        createdTo: query.created_to,
        metadata,
        limit: query.limit,
        offset: query.offset,
        merge: query.merge,
        snippetWords: query.snippet_words,
        sort: query.sort,
        facets: query.facets,
        group: query.group,
        matching: query.matching(),
      }),
    );
  }

  @Get('documents/:id/search')
  @ApiOperation({ summary: 'Search inside one document: every matching page, in page order' })
  @ApiResponse({ status: 200, type: SearchResponseDto })
  async searchDocument(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Query() query: SearchDocumentRequestDto,
  ): Promise<SearchResponseDto> {
    return SearchResponseDto.from(
      await this.search.searchDocument(
        tenantId,
        id,
        query.q,
        query.limit,
        query.offset,
        { merge: query.merge, snippetWords: query.snippet_words },
        query.matching(),
      ),
    );
  }
}
