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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
