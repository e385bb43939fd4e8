import { startEmbeddedMeilisearch } from './src/embedded-meilisearch.service';
(async () => {
  const m = await startEmbeddedMeilisearch({ dataDir: '/tmp/meili-probe', port: 7799, masterKey: 'probe-master-key-123456' });
  console.log(m.url, m.pid);
  await new Promise((r) => setTimeout(r, 600000));
})();
