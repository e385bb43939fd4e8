import { ApiProperty } from '@nestjs/swagger';

export class IiifLinkResponseDto {
  @ApiProperty({ description: 'The manifest under the signed link; every IIIF URL in it carries the same link' })
  manifest: string;

  @ApiProperty({ format: 'date-time' }) expires_at: string;
}
