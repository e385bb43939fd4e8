import { ProblemDetails } from '@recto/common';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { DocumentStatus } from './document-status';

export type MetadataValue = string | number | boolean;

/** Where a document imported from a IIIF manifest came from: page n is `canvases[n - 1]`. */
export interface IiifSource {
  manifest: string;
  version: 2 | 3;
  /**
   * Each canvas's id and coordinate space in the source manifest, and what the import fetches for
   * it (absent on documents imported before the import was queued): the job is made again from these.
   */
  canvases: IiifSourceCanvas[];
}

/** An annotation page (v3) or list (v2) of a canvas: carried inline, or only referenced by its id (to fetch). */
export type AnnotationPageRef = { inline: Record<string, unknown> } | { url: string };

export interface IiifSourceCanvas {
  id: string;
  width: number;
  height: number;
  /** The image to fetch for the page. */
  image?: string;
  /** OCR the canvas links (ALTO, hOCR, PAGE), imported for its page. */
  ocr?: { url: string; format: string } | null;
  /**
   * Where a canvas without linked OCR keeps its text annotations (v3 `annotations`, v2
   * `otherContent`): pages carried inline in the manifest, or referenced by URL. Absent: none.
   */
  annotations?: AnnotationPageRef[];
}

@Entity('documents')
@Index('uq_documents_tenant_sha256', ['tenantId', 'sha256'], { unique: true })
@Index('ix_documents_tenant_created', ['tenantId', 'createdAt', 'id'])
export class DocumentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  filename: string;

  @Column({ type: 'text', nullable: true })
  alias: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  metadata: Record<string, MetadataValue>;

  @Column({ name: 'mime_type', type: 'text' })
  mimeType: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  sizeBytes: number;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  /** Null while a IIIF import's worker job has not yet attached the fetched page stack. */
  @Column({ name: 'storage_key', type: 'text', nullable: true })
  storageKey: string | null;

  @Column({ type: 'text', default: DocumentStatus.Processing })
  status: DocumentStatus;

  @Column({ name: 'page_count', type: 'int', nullable: true })
  pageCount: number | null;

  /** Pages recognised so far while Processing (the page count once done); null before the first is known. */
  @Column({ name: 'pages_done', type: 'int', nullable: true })
  pagesDone: number | null;

  /** `low` when any page read with low confidence, `ok` when every judged page is fine, else null. */
  @Column({ type: 'text', nullable: true })
  quality: string | null;

  @Column({ name: 'quality_reason', type: 'text', nullable: true })
  qualityReason: string | null;

  @Column({ name: 'ocr_provider', type: 'text' })
  ocrProvider: string;

  @Column({ type: 'text', array: true, nullable: true })
  languages: string[] | null;

  /** Problem details when status is Failed. */
  @Column({ type: 'jsonb', nullable: true })
  error: ProblemDetails | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Set for documents imported from a IIIF manifest (`iiif_manifest`), else null. */
  @Column({ name: 'iiif_source', type: 'jsonb', nullable: true })
  iiifSource: IiifSource | null;

  /** When the pages were last written to the search index; null means the index owes them. */
  @Column({ name: 'indexed_at', type: 'timestamptz', nullable: true })
  indexedAt: Date | null;
}
