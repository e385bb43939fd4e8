import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

export class SearchPagesRequestDto {
  @ApiProperty({ description: 'The query: words, prefixes, "a phrase"' })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  q: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  document_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  mime_type?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  created_from?: Date;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  created_to?: Date;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  offset: number = 0;

  @ApiPropertyOptional({
    enum: ['none', 'line'],
    default: 'none',
    description:
      '`line`: consecutive matched words of a line become one highlight region (its `words` keep the per-word polygons).',
  })
  @IsOptional()
  @IsIn(['none', 'line'])
  merge?: 'none' | 'line';

  @ApiPropertyOptional({ minimum: 3, maximum: 200, default: 30, description: 'About how many words a snippet holds.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(3)
  @Max(200)
  snippet_words?: number;
}

export class SearchDocumentRequestDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  q: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  offset: number = 0;

  @ApiPropertyOptional({
    enum: ['none', 'line'],
    default: 'none',
    description:
      '`line`: consecutive matched words of a line become one highlight region (its `words` keep the per-word polygons).',
  })
  @IsOptional()
  @IsIn(['none', 'line'])
  merge?: 'none' | 'line';

  @ApiPropertyOptional({ minimum: 3, maximum: 200, default: 30, description: 'About how many words a snippet holds.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(3)
  @Max(200)
  snippet_words?: number;
}
