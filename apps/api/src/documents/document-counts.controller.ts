import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DocumentService } from '@recto/documents';
import { Tenant } from '../auth/tenant.decorator';
import { DocumentCountsResponseDto } from '../dto/document-counts.response.dto';

/** A route of its own rather than under /v1/documents, where it would collide with `/:id`. */
@ApiTags('documents')
@Controller('v1/stats')
export class DocumentCountsController {
  constructor(private readonly documents: DocumentService) {}

  @Get()
  @ApiOperation({ summary: "How many of the caller's documents are in each status" })
  @ApiResponse({ status: 200, type: DocumentCountsResponseDto })
  async counts(@Tenant() tenantId: string): Promise<DocumentCountsResponseDto> {
    return DocumentCountsResponseDto.from(await this.documents.countByStatus(tenantId));
  }
}
