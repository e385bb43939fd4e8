import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class ReprocessDocumentRequestDto {
  @ApiPropertyOptional({ enum: ['local', 'mindee'], description: 'Defaults to the provider the document last used.' })
  @IsOptional()
  @IsIn(['local', 'mindee'])
  provider?: 'local' | 'mindee';
}
