import type { DataSource, MigrationInterface } from 'typeorm';

/**
 * One migration's `up` or `down` on its own, in a transaction as `runMigrations` runs each: for
 * the specs that check a migration both ways on a database `createTestDatabase` migrated.
 */
export async function runMigrationStep(
  dataSource: DataSource,
  migration: MigrationInterface,
  direction: 'up' | 'down',
): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await migration[direction](runner);
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
}
