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
  @ApiProperty({ enum: ['ocr', 'text-layer', 'import'] }) source: string;
  @ApiProperty({ description: 'Clockwise quarter turn given to the page image before OCR (0, 90, 180, 270)' })
  rotated: number;
  @ApiProperty({ description: 'Clockwise degrees the page was straightened by after that turn' })
  deskewed_degrees: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Factor the page was upscaled by before OCR' })
  upscaled: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Mean word confidence, 0..1' })
  mean_confidence: number | null;
  @ApiPropertyOptional({ nullable: true, enum: ['ok', 'low'] }) quality: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) quality_reason: string | null;
  @ApiProperty({ type: [WordDto] }) words: WordDto[];
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The source canvas id, for a document imported from a IIIF manifest',
  })
  iiif_canvas: string | null;
}

export class PageResponseDto {
  @ApiProperty({ type: PageDto }) page: PageDto;

  static from({ page, words, iiifCanvas }: PageWithWords): PageResponseDto {
    return {
      page: {
        number: page.number,
        width: page.width,
        height: page.height,
        content: page.content,
        source: page.source,
        rotated: page.rotation,
        deskewed_degrees: page.deskewDegrees,
        upscaled: page.upscale,
        mean_confidence: page.meanConfidence,
        quality: page.quality,
        quality_reason: page.qualityReason,
        words: words.map((w) => ({ content: w.content, polygon: w.polygon, confidence: w.confidence })),
        iiif_canvas: iiifCanvas,
      },
    };
  }
}
