import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainException, ErrorCode } from '@recto/common';
import { DocumentService, IngestService, IngestSource } from '@recto/documents';
import { IiifImportService } from '@recto/iiif';
import type { Request, Response } from 'express';
import { Tenant } from '../auth/tenant.decorator';
import { CreateDocumentRequestDto } from '../dto/create-document.request.dto';
import { DocumentDto, DocumentListResponseDto, DocumentResponseDto } from '../dto/document.response.dto';
import { ListDocumentsRequestDto } from '../dto/list-documents.request.dto';
import { PageResponseDto } from '../dto/page.response.dto';
import { ReprocessDocumentRequestDto } from '../dto/reprocess-document.request.dto';
import { documentIdPipe, pageNumberPipe } from '../http/route-params';
import { PublicUrl } from '../public-url';
import { UploadInterceptor, type UploadedParts } from './upload.interceptor';
import { readFile } from 'node:fs/promises';
import type { UploadedScan } from './upload-storage.engine';

@ApiTags('documents')
@Controller('v1/documents')
export class DocumentsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly documents: DocumentService,
    private readonly iiifImport: IiifImportService,
    private readonly publicUrl: PublicUrl,
  ) {}

  @Post()
  @UseInterceptors(UploadInterceptor)
  @ApiOperation({
    summary:
      'Upload a scan (multipart `file`, or JSON `file_base64` / `url`), optionally with its OCR (`ocr` parts: ALTO, hOCR, PAGE), or import a IIIF manifest (JSON `iiif_manifest`)',
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ type: CreateDocumentRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiResponse({ status: 202, type: DocumentResponseDto })
  @ApiResponse({
    status: 200,
    type: DocumentResponseDto,
    description: 'Duplicate of a document this tenant already has',
  })
  async create(
    @Tenant() tenantId: string,
    @UploadedFile() file: UploadedScan | undefined,
    @UploadedFiles() parts: UploadedParts | undefined,
    @Body() body: CreateDocumentRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DocumentResponseDto> {
    const common = {
      tenantId,
      filename: body.filename ?? file?.originalname,
      alias: body.alias,
      metadata: body.metadata,
      languages: body.language,
      idempotencyKey: validIdempotencyKey(idempotencyKey),
    };
    const ocrParts = parts?.ocr ?? [];
    const { document, created } =
      body.iiif_manifest !== undefined
        ? await this.iiifImport.import({ ...common, manifestUrl: iiifManifestOf(file, body, ocrParts.length) })
        : ocrParts.length
          ? await this.ingest.ingestWithOcr({
              ...common,
              // OCR files are text (MBs at most): read whole, as the parsers need them.
              ocr: await Promise.all(
                ocrParts.map(async (p) => ({ bytes: await readFile(p.received.tempPath), filename: p.originalname })),
              ),
              source: sourceOf(file, body, true),
            })
          : await this.ingest.ingest({ ...common, source: sourceOf(file, body, false)! });
    const base = this.publicUrl.of(req);
    if (created) {
      res.status(202).location(`/v1/documents/${document.id}`);
      return { document: DocumentDto.from(document, base) };
    }
    res.status(200);
    return { document: DocumentDto.from(document, base), duplicate: true };
  }

  @Get()
  @ApiResponse({ status: 200, type: DocumentListResponseDto })
  async list(
    @Tenant() tenantId: string,
    @Query() query: ListDocumentsRequestDto,
    @Req() req: Request,
  ): Promise<DocumentListResponseDto> {
    const { documents, nextCursor } = await this.documents.list(tenantId, query);
    const base = this.publicUrl.of(req);
    return { documents: documents.map((d) => DocumentDto.from(d, base)), next_cursor: nextCursor };
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: DocumentResponseDto })
  async get(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Req() req: Request,
  ): Promise<DocumentResponseDto> {
    return { document: DocumentDto.from(await this.documents.get(tenantId, id), this.publicUrl.of(req)) };
  }

  @Get(':id/pages/:number')
  @ApiResponse({ status: 200, type: PageResponseDto })
  async page(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Param('number', pageNumberPipe) number: number,
  ): Promise<PageResponseDto> {
    return PageResponseDto.from(await this.documents.page(tenantId, id, number));
  }

  @Get(':id/file')
  @ApiOperation({ summary: 'The original bytes' })
  async file(@Tenant() tenantId: string, @Param('id', documentIdPipe) id: string, @Res() res: Response): Promise<void> {
    const { document, stream } = await this.documents.file(tenantId, id);
    res.setHeader('Content-Type', document.mimeType);
    res.setHeader('Content-Length', String(document.sizeBytes));
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(document.filename)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Tenant() tenantId: string, @Param('id', documentIdPipe) id: string): Promise<void> {
    await this.documents.delete(tenantId, id);
  }

  @Post(':id/reprocess')
  @HttpCode(202)
  @ApiResponse({ status: 202, type: DocumentResponseDto })
  async reprocess(
    @Tenant() tenantId: string,
    @Param('id', documentIdPipe) id: string,
    @Body() body: ReprocessDocumentRequestDto,
    @Req() req: Request,
  ): Promise<DocumentResponseDto> {
    return {
      document: DocumentDto.from(await this.documents.reprocess(tenantId, id, body.provider), this.publicUrl.of(req)),
    };
  }
}

/** A manifest import takes nothing else: its images and OCR come from the manifest. */
function iiifManifestOf(file: UploadedScan | undefined, body: CreateDocumentRequestDto, ocrParts: number): string {
  if (file || body.file_base64 !== undefined || body.url !== undefined || ocrParts > 0) {
    throw new DomainException(
      ErrorCode.ValidationFailed,
      '`iiif_manifest` takes its images and OCR from the manifest: send no `file`, `file_base64`, `url` or `ocr` with it.',
      [{ pointer: '/iiif_manifest', detail: 'sent with another source' }],
    );
  }
  return body.iiif_manifest as string;
}

/** The image(s) of an upload; with `ocr` parts there may be none (an OCR-only document). */
function sourceOf(
  file: UploadedScan | undefined,
  body: CreateDocumentRequestDto,
  withOcr: boolean,
): IngestSource | null {
  const given = [file, body.file_base64, body.url].filter((v) => v !== undefined).length;
  if (given === 0 && withOcr) return null;
  if (given !== 1) {
    throw new DomainException(
      ErrorCode.ValidationFailed,
      'Send exactly one of: a multipart `file`, `file_base64` or `url`.',
      [{ pointer: '/file', detail: given === 0 ? 'missing' : 'more than one source' }],
    );
  }
  if (file) return { kind: 'file', file: file.received };
  if (body.file_base64 !== undefined) return { kind: 'base64', data: body.file_base64 };
  return { kind: 'url', url: body.url as string };
}

function validIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new DomainException(
      ErrorCode.ValidationFailed,
      'The Idempotency-Key header must be 1–255 printable ASCII characters.',
      [{ pointer: null, detail: 'Idempotency-Key' }],
    );
  }
  return key;
}
