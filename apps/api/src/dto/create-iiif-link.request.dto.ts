import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';

export class CreateIiifLinkRequestDto {
  @ApiPropertyOptional({
    description: 'Seconds until the link expires (default IIIF_LINK_DEFAULT_SECONDS, at most IIIF_LINK_MAX_SECONDS)',
    minimum: 60,
  })
  @IsOptional()
  @IsInt()
  @Min(60)
  expires_in?: number;
}
