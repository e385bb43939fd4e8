import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type Polygon = [number, number][];

@Entity('words')
@Index('ix_words_document', ['documentId'])
export class WordEntity {
  @PrimaryColumn({ name: 'page_id', type: 'uuid' })
  pageId: string;

  /** Position of the word in the page's reading order. */
  @PrimaryColumn({ type: 'int' })
  idx: number;

  @Column({ name: 'document_id', type: 'uuid' })
  documentId: string;

  @Column({ type: 'text' })
  content: string;

  /** Relative [x, y] points, clockwise from top-left (Mindee's convention). */
  @Column({ type: 'jsonb' })
  polygon: Polygon;

  @Column({ type: 'real', nullable: true })
  confidence: number | null;

  @Column({ type: 'int' })
  line: number;

  /** UTF-16 offsets of the word in the page content: [charStart, charEnd). */
  @Column({ name: 'char_start', type: 'int' })
  charStart: number;

  @Column({ name: 'char_end', type: 'int' })
  charEnd: number;
}
