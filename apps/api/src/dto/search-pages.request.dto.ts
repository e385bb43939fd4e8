import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  Matches,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MatchOptionsRequestDto } from './match-options.request.dto';
import { PageLimit } from './page-limit.decorator';

/** What both searches take: the query, the paging offset and how hits are shaped. */
export class SearchRequestDto extends MatchOptionsRequestDto {
  @ApiProperty({ description: 'The query: words, prefixes, "a phrase"' })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  q: string;

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

export class SearchPagesRequestDto extends SearchRequestDto {
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

  @PageLimit()
  limit: number = 20;

  @ApiPropertyOptional({ enum: ['relevance', 'created_at:asc', 'created_at:desc'], default: 'relevance' })
  @IsOptional()
  @IsIn(['relevance', 'created_at:asc', 'created_at:desc'])
  sort?: 'relevance' | 'created_at:asc' | 'created_at:desc';

  @ApiPropertyOptional({
    description: 'Comma-separated attributes to count matching pages by: document_id, mime_type, metadata.<key>',
    example: 'mime_type,metadata.box',
  })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(/^(document_id|mime_type|metadata\.[A-Za-z0-9_][A-Za-z0-9_.-]{0,63})$/, { each: true })
  facets?: string[];

  @ApiPropertyOptional({
    enum: ['page', 'document'],
    default: 'page',
    description: '`document`: one best page per document, with `matching_pages`',
  })
  @IsOptional()
  @IsIn(['page', 'document'])
  group?: 'page' | 'document';
}

export class SearchDocumentRequestDto extends SearchRequestDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;
}
