import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class ReprocessDocumentRequestDto {
  @ApiPropertyOptional({
    enum: ['local', 'mindee', 'import'],
    description:
      'Defaults to the provider the document last used. `import` re-reads the OCR files the document was uploaded with.',
  })
  @IsOptional()
  @IsIn(['local', 'mindee', 'import'])
  provider?: 'local' | 'mindee' | 'import';
}
