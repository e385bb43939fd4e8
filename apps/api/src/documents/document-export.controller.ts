import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DocumentExportService } from '@recto/documents';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { Tenant } from '../auth/tenant.decorator';
import { ExportDocumentRequestDto } from '../dto/export-document.request.dto';
import { attachment } from './content-disposition';
import { documentIdPipe } from '../http/route-params';

@ApiTags('documents')
@Controller('v1/documents')
export class DocumentExportController {
  private readonly logger = new Logger(DocumentExportController.name);

  constructor(private readonly exports: DocumentExportService) {}

  @Get(':id/export')
  @ApiOperation({
    summary: 'The words of a document (or one page) as hOCR, ALTO, PAGE XML, plain text or a searchable PDF',
  })
  @ApiProduces('application/xhtml+xml', 'application/xml', 'application/zip', 'application/pdf', 'text/plain')
  @ApiResponse({ status: 200, description: 'The file, as an attachment named after the document' })
  @ApiResponse({ status: 409, description: 'The document is not Processed yet' })
  @ApiResponse({
    status: 422,
    description: 'Unknown format, a page the document does not have, or a PDF of an OCR-only document',
  })
  async export(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Query() query: ExportDocumentRequestDto,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.exports.export(tenantId, id, query.format, query.page);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', attachment(file.filename));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-cache');
    const stream = Readable.from(file.body);
    stream.on('error', (err) => {
      // The status line is gone already: all that is left is to cut the answer short.
      this.logger.error({ err, documentId: id }, 'Export failed while streaming');
      res.destroy(err);
    });
    stream.pipe(res);
  }
}
