import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageWithWords } from '@recto/documents';

export class WordDto {
  @ApiProperty() content: string;
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'number' } } }) polygon: [number, number][];
  @ApiPropertyOptional({ nullable: true, type: Number }) confidence: number | null;
}

export class PageDto {
  @ApiProperty() number: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) width: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) height: number | null;
  @ApiProperty() content: string;
  @ApiProperty({ enum: ['ocr', 'text-layer'] }) source: string;
  @ApiProperty({ type: [WordDto] }) words: WordDto[];
}

export class PageResponseDto {
  @ApiProperty({ type: PageDto }) page: PageDto;

  static from({ page, words }: PageWithWords): PageResponseDto {
    return {
      page: {
        number: page.number,
        width: page.width,
        height: page.height,
        content: page.content,
        source: page.source,
        words: words.map((w) => ({ content: w.content, polygon: w.polygon, confidence: w.confidence })),
      },
    };
  }
}
