import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/**
 * Which deployment this database belongs to. The cluster's system identifier (random at initdb,
 * readable without superuser) with the database name tells two deployments apart even when one is
 * a `pg_dump` copy of the other (a staging restored from production) — a row created by a
 * migration would travel with the dump. A physical copy (pg_basebackup, a volume snapshot) keeps
 * both, which is why an explicit QUEUE_PREFIX still wins.
 */
@Injectable()
export class DeploymentRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async deploymentId(): Promise<string> {
    const rows: { system_identifier: string; database: string }[] = await this.ds.query(
      `SELECT system_identifier::text AS system_identifier, current_database() AS database FROM pg_control_system()`,
    );
    const { system_identifier, database } = rows[0];
    return createHash('sha256').update(`${system_identifier}/${database}`).digest('hex').slice(0, 16);
  }
}
