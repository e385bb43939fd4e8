import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { ProviderJobEntity, ProviderJobStatus } from '../entities/provider-job.entity';

type Row = {
  id: string;
  document_id: string;
  provider: string;
  external_id: string | null;
  status: ProviderJobStatus;
  state: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
};

const fromRow = (r: Row): ProviderJobEntity =>
  Object.assign(new ProviderJobEntity(), {
    id: r.id,
    documentId: r.document_id,
    provider: r.provider,
    externalId: r.external_id,
    status: r.status,
    state: r.state,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  });

@Injectable()
export class ProviderJobRepository {
  constructor(@InjectRepository(ProviderJobEntity) private readonly repo: Repository<ProviderJobEntity>) {}

  findById(id: string): Promise<ProviderJobEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The document's current run with this provider: open or completed, never a superseded one. */
  findCurrent(documentId: string, provider: string): Promise<ProviderJobEntity | null> {
    return this.repo
      .createQueryBuilder('j')
      .where('j.document_id = :documentId AND j.provider = :provider', { documentId, provider })
      .andWhere('j.status <> :superseded', { superseded: ProviderJobStatus.Superseded })
      .orderBy('j.created_at', 'DESC')
      .limit(1)
      .getOne();
  }

  findByExternalId(provider: string, externalId: string): Promise<ProviderJobEntity | null> {
    return this.repo.findOneBy({ provider, externalId });
  }

  findOpen(documentId: string): Promise<ProviderJobEntity | null> {
    return this.repo.findOneBy({ documentId, status: ProviderJobStatus.Open });
  }

  /** Starts a run; null when the document already has an open one (another attempt won). */
  async insertOpen(
    documentId: string,
    provider: string,
    externalId: string | null,
    state: Record<string, unknown>,
  ): Promise<ProviderJobEntity | null> {
    const rows: Row[] = await this.repo.query(
      `INSERT INTO provider_jobs (id, document_id, provider, external_id, status, state, version)
       VALUES ($1, $2, $3, $4, 'Open', $5::jsonb, 1)
       ON CONFLICT DO NOTHING
       RETURNING *`,
      [randomUUID(), documentId, provider, externalId, JSON.stringify(state)],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Compare-and-set on the version; null when someone saved in between or the run is no longer open. */
  async saveState(
    id: string,
    expectedVersion: number,
    externalId: string | null | undefined,
    state: Record<string, unknown>,
  ): Promise<ProviderJobEntity | null> {
    const [rows]: [Row[], number] = await this.repo.query(
      `UPDATE provider_jobs
       SET state = $3::jsonb, external_id = COALESCE($4, external_id), version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2 AND status = 'Open'
       RETURNING *`,
      [id, expectedVersion, JSON.stringify(state), externalId ?? null],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Completes an open run inside the caller's transaction; false when it was already completed
   * or superseded (the result then must not be stored a second time).
   */
  async complete(manager: EntityManager, id: string): Promise<boolean> {
    const [rows]: [unknown[], number] = await manager.query(
      `UPDATE provider_jobs SET status = 'Completed', completed_at = now(), updated_at = now(), state = state - 'response'
       WHERE id = $1 AND status = 'Open' RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  /** Closes every run of the document, so that the next OCR starts afresh. */
  async supersedeAll(documentId: string): Promise<void> {
    await this.repo.query(
      `UPDATE provider_jobs SET status = 'Superseded', updated_at = now() WHERE document_id = $1 AND status <> 'Superseded'`,
      [documentId],
    );
  }
}
