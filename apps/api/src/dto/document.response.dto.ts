import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemDetails } from '@recto/common';
import { DocumentEntity, toDocumentResource } from '@recto/database';

export class DocumentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() filename: string;
  @ApiPropertyOptional({ nullable: true, type: String }) alias: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata: Record<string, unknown>;
  @ApiProperty() mime_type: string;
  @ApiProperty() size_bytes: number;
  @ApiProperty() sha256: string;
  @ApiProperty({ enum: ['Processing', 'Processed', 'Failed'] }) status: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) page_count: number | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Pages recognised so far while Processing (page_count when done); null until known',
  })
  pages_done: number | null;
  @ApiPropertyOptional({
    nullable: true,
    enum: ['ok', 'low'],
    description: '`low` when a page read with low confidence; null where not judged (Mindee, text layers)',
  })
  quality: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) quality_reason: string | null;
  @ApiProperty({ enum: ['local', 'mindee', 'import'] }) ocr_provider: string;
  @ApiPropertyOptional({ nullable: true, type: [String] }) languages: string[] | null;
  @ApiProperty() created_at: string;
  @ApiPropertyOptional({ nullable: true, type: String }) completed_at: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: 'object',
    properties: {
      status: { type: 'number' },
      title: { type: 'string' },
      detail: { type: 'string' },
      code: { type: 'string' },
    },
    additionalProperties: true,
    description: 'Problem details (RFC 9457) when Failed',
  })
  error: ProblemDetails | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The IIIF manifest the document was imported from (`iiif_manifest`), else null',
  })
  iiif_manifest: string | null;
  @ApiProperty() polling_url: string;

  static from(d: DocumentEntity, baseUrl: string): DocumentDto {
    return toDocumentResource(d, baseUrl);
  }
}

export class DocumentResponseDto {
  @ApiProperty({ type: DocumentDto }) document: DocumentDto;
  @ApiPropertyOptional({ description: 'Present when the same bytes were already uploaded by this tenant.' })
  duplicate?: boolean;
}

export class DocumentListResponseDto {
  @ApiProperty({ type: [DocumentDto] }) documents: DocumentDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) next_cursor: string | null;
}
