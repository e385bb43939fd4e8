import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { MatchKind, SearchResult } from '@recto/search';

export class HighlightWordDto {
  @ApiProperty() content: string;
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'number' } } }) polygon: [number, number][];
  @ApiProperty({
    enum: ['exact', 'prefix', 'typo', 'phrase'],
    description:
      'How the word matched: the query word itself, a longer word starting with the last query word, a word within the typo tolerance, or a word of a quoted phrase (a merged region: its loosest word)',
  })
  match: MatchKind;
}

export class HighlightDto extends HighlightWordDto {
  @ApiPropertyOptional({ type: [HighlightWordDto], description: 'With merge=line: the words of the region' })
  words?: HighlightWordDto[];
}

export class SearchHitDto {
  @ApiProperty({ format: 'uuid' }) document_id: string;
  @ApiProperty() filename: string;
  @ApiPropertyOptional({ nullable: true, type: String }) alias: string | null;
  @ApiProperty({ description: '1-based page number' }) page: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) page_width: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) page_height: number | null;
  @ApiProperty({ description: 'HTML-escaped text with <mark> around matches' }) snippet: string;
  @ApiProperty({ type: [HighlightDto] }) highlights: HighlightDto[];
  @ApiPropertyOptional({ description: 'With group=document: how many pages of the document match' })
  matching_pages?: number;
}

export class SearchResponseDto {
  @ApiProperty() query: string;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty() estimated_total_hits: number;
  @ApiProperty() processing_time_ms: number;
  @ApiProperty({ type: [SearchHitDto] }) hits: SearchHitDto[];
  @ApiPropertyOptional({
    description: 'With facets=: matching pages counted per value',
    type: 'object',
    additionalProperties: true,
  })
  facet_distribution?: Record<string, Record<string, number>>;

  static from(result: SearchResult): SearchResponseDto {
    return {
      query: result.query,
      limit: result.limit,
      offset: result.offset,
      estimated_total_hits: result.estimatedTotalHits,
      processing_time_ms: result.processingTimeMs,
      hits: result.hits.map((h) => ({
        document_id: h.documentId,
        filename: h.filename,
        alias: h.alias,
        page: h.pageNumber,
        page_width: h.pageWidth,
        page_height: h.pageHeight,
        snippet: h.snippet,
        highlights: h.highlights.map((w) => ({
          content: w.content,
          polygon: w.polygon,
          match: w.match,
          ...(w.words ? { words: w.words } : {}),
        })),
        ...(h.matchingPages !== undefined ? { matching_pages: h.matchingPages } : {}),
      })),
      ...(result.facetDistribution ? { facet_distribution: result.facetDistribution } : {}),
    };
  }
}
