import { ApiPropertyOptional } from '@nestjs/swagger';
import { DocumentStatus } from '@recto/database';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

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

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
