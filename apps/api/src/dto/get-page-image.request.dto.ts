import { ApiPropertyOptional } from '@nestjs/swagger';
import { PAGE_IMAGE_DEFAULT_WIDTH, PAGE_IMAGE_MAX_WIDTH, PAGE_IMAGE_MIN_WIDTH } from '@recto/documents';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class GetPageImageRequestDto {
  @ApiPropertyOptional({
    minimum: PAGE_IMAGE_MIN_WIDTH,
    maximum: PAGE_IMAGE_MAX_WIDTH,
    default: PAGE_IMAGE_DEFAULT_WIDTH,
    description: 'Pixels; rounded up to the next rendered size (the response’s `X-Image-Width`)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(PAGE_IMAGE_MIN_WIDTH)
  @Max(PAGE_IMAGE_MAX_WIDTH)
  width?: number;

  @ApiPropertyOptional({ enum: ['webp', 'png'], default: 'webp' })
  @IsOptional()
  @IsIn(['webp', 'png'])
  format?: 'webp' | 'png';
}
