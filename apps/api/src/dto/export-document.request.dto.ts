import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXPORT_FORMATS, type ExportFormat } from '@recto/documents';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';

export class ExportDocumentRequestDto {
  @ApiProperty({
    enum: EXPORT_FORMATS,
    description:
      'hocr: hOCR 1.2 (XHTML); alto: ALTO 4.4 in pixels; page: PAGE XML 2019-07-15 (one file per page, a ZIP for several); pdf: searchable PDF; txt: plain text',
  })
  // Required, but checked after the document is found: another tenant's document answers exactly
  // like a missing one, whatever the query.
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;

  @ApiPropertyOptional({ minimum: 1, description: 'Only this page (1-based); the whole document when absent' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;
}
