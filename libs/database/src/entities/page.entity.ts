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

  /** Where the words came from: `ocr`, a PDF's `text-layer`, or an uploaded OCR file (`import`). */
  @Column({ type: 'text' })
  source: string;

  /** Clockwise quarter turn the engine gave the page image before reading it (0, 90, 180, 270). */
  @Column({ type: 'smallint', default: 0 })
  rotation: number;

  /** Clockwise degrees the page was straightened by after the quarter turn. */
  @Column({ name: 'deskew_degrees', type: 'real', default: 0 })
  deskewDegrees: number;

  /** Factor the page image was upscaled by before OCR; null where the engine does not say. */
  @Column({ type: 'real', nullable: true })
  upscale: number | null;

  /** Mean of the words' confidences; null when no word carries one. */
  @Column({ name: 'mean_confidence', type: 'real', nullable: true })
  meanConfidence: number | null;

  /** `ok` or `low` (see quality_reason); null where it is not judged. */
  @Column({ type: 'text', nullable: true })
  quality: string | null;

  @Column({ name: 'quality_reason', type: 'text', nullable: true })
  qualityReason: string | null;
}
