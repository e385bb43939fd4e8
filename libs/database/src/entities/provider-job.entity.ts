import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum ProviderJobStatus {
  Open = 'Open',
  /** Its result is stored; later deliveries of the same result are no-ops. */
  Completed = 'Completed',
  /** A reprocess started a new run; anything arriving for this one is ignored. */
  Superseded = 'Superseded',
}

/** One OCR run at a remote provider (a Mindee job) and the state needed to resume it. */
@Entity('provider_jobs')
export class ProviderJobEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'document_id', type: 'uuid' })
  documentId: string;

  @Column({ type: 'text' })
  provider: string;

  /** The provider's job id, once enqueued. */
  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  @Column({ type: 'text' })
  status: ProviderJobStatus;

  /** Provider-specific progress (polling and result URLs, phase, timestamps). */
  @Column({ type: 'jsonb' })
  state: Record<string, unknown>;

  /** Bumped by every save: a save based on a stale version loses (optimistic concurrency). */
  @Column({ type: 'int' })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
