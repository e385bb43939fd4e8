/**
 * `npm run reindex`: rebuilds the whole search index from Postgres while search keeps answering
 * (every stored page written, then entries Postgres no longer has removed).
 * Uses DATABASE_URL / MEILI_URL (or MEILI_URLS), else the embedded services of a running `npm start`.
 * With several nodes, every document is written to the node it belongs to and removed from the
 * others: after adding a node to MEILI_URLS, this is the rebalancing.
 */
import 'reflect-metadata';
import { ConfigValidationError, LauncherConfig, loadConfig } from '@recto/config';
import {
  DocumentEntity,
  DocumentRepository,
  dataSourceOptions,
  EventOutboxRepository,
  PageRepository,
} from '@recto/database';
import { ReindexService } from '@recto/documents';
import { createSearchIndex } from '@recto/search';
import { DataSource } from 'typeorm';
import { databaseUrlOf, meilisearchNodesFor } from './service-urls';

async function main(): Promise<void> {
  const config = loadConfig(LauncherConfig);
  const nodes = await meilisearchNodesFor(config);
  const ds = new DataSource(dataSourceOptions(await databaseUrlOf(config), { extra: { max: 2 } }));
  await ds.initialize();
  const index = createSearchIndex({ nodes, indexName: config.MEILI_INDEX });
  try {
    const reindex = new ReindexService(
      new DocumentRepository(ds.getRepository(DocumentEntity), new EventOutboxRepository(ds)),
      new PageRepository(ds),
      index,
    );
    const started = Date.now();
    const report = await reindex.rebuild((r) => process.stderr.write(`\r${r.documents} documents, ${r.pages} pages`));
    process.stderr.write('\n');
    console.log(
      `Reindexed ${report.documents} documents (${report.pages} pages) into "${config.MEILI_INDEX}" (${nodes.length} node${nodes.length > 1 ? 's' : ''}) in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s; removed ${report.pruned} entries Postgres no longer has.`,
    );
  } finally {
    index.close();
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigValidationError || err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
