import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An OCR file (ALTO, hOCR, PAGE) a document was uploaded with; `position` orders them as the upload's parts. */
@Entity('ocr_files')
@Index('uq_ocr_files_document_position', ['documentId', 'position'], { unique: true })
export class OcrFileEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'document_id', type: 'uuid' })
  documentId: string;

  @Column({ type: 'int' })
  position: number;

  /** `alto`, `hocr` or `page`, as detected from the content. */
  @Column({ type: 'text' })
  format: string;

  @Column({ type: 'text', nullable: true })
  filename: string | null;

  @Column({ name: 'storage_key', type: 'text' })
  storageKey: string;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  sizeBytes: number;

  @Column({ name: 'page_count', type: 'int' })
  pageCount: number;

  /**
   * The document page this (one-page) file is the OCR of, for OCR that covers only some pages (a
   * IIIF import whose canvases link OCR here and there); null: files follow one another from page 1.
   */
  @Column({ name: 'page_number', type: 'int', nullable: true })
  pageNumber: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
