import { ApiPropertyOptional } from '@nestjs/swagger';
import { DocumentStatus } from '@recto/database';
import { IsEnum, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageLimit } from './page-limit.decorator';

export class ListDocumentsRequestDto {
  @ApiPropertyOptional({ enum: DocumentStatus })
  @IsOptional()
  @IsEnum(DocumentStatus)
  status?: DocumentStatus;

  @ApiPropertyOptional({
    enum: ['low', 'ok'],
    description: 'Documents whose OCR was judged so (`low`: some page read with low confidence)',
  })
  @IsOptional()
  @IsIn(['low', 'ok'])
  quality?: 'low' | 'ok';

  @ApiPropertyOptional({ description: 'SHA-256 of the bytes (hex): finds the document already uploaded with them' })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hexadecimal digits' })
  sha256?: string;

  @PageLimit()
  limit: number = 20;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
