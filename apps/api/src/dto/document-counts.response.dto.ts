import { ApiProperty } from '@nestjs/swagger';

export class DocumentCountsDto {
  @ApiProperty() Processing: number;
  @ApiProperty() Processed: number;
  @ApiProperty() Failed: number;
  @ApiProperty() total: number;
}

export class DocumentCountsResponseDto {
  @ApiProperty({ type: DocumentCountsDto }) documents: DocumentCountsDto;

  static from(counts: Record<'Processing' | 'Processed' | 'Failed', number>): DocumentCountsResponseDto {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return { documents: { ...counts, total } };
  }
}
