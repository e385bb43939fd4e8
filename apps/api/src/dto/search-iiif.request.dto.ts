import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MatchOptionsRequestDto } from './match-options.request.dto';

/** IIIF Content Search parameters; `motivation`, `date` and `user` are accepted and reported as ignored. */
export class SearchIiifRequestDto extends MatchOptionsRequestDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(512)
  q: string = '';

  @ApiPropertyOptional({ description: '0-based page of results' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  page: number = 0;

  @ApiPropertyOptional({ description: 'Autocomplete: minimum number of occurrences' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  min?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  motivation?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  date?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  user?: string;

  /** The supplied parameters this service does not act on. */
  ignoredParameters(): string[] {
    return (['motivation', 'date', 'user'] as const).filter((k) => this[k] !== undefined);
  }
}
