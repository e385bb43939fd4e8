import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('pages')
@Index('uq_pages_document_number', ['documentId', 'number'], { unique: true })
export class PageEntity {
  /** Also the id of the page's search-index document. */
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'document_id', type: 'uuid' })
  documentId: string;

  @Column({ type: 'int' })
  number: number;

  @Column({ type: 'int', nullable: true })
  width: number | null;

  @Column({ type: 'int', nullable: true })
  height: number | null;

  /** The indexed text; words' char offsets point into it. */
  @Column({ type: 'text' })
  content: string;

  /** Where the words came from: `ocr` or a PDF's `text-layer`. */
  @Column({ type: 'text' })
  source: string;
}
