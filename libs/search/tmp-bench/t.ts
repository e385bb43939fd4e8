import { MeilisearchAdapter } from '../src/adapters/meilisearch/meilisearch.adapter';
(async () => {
  const a = new MeilisearchAdapter({ url: 'http://127.0.0.1:7799', apiKey: 'probe-master-key-123456', indexName: 'timing' });
  await a.ensureSettings();
  const p = (id: string, doc: string, content: string) => ({ id, tenant_id: 't', document_id: doc, page_number: 1, content, filename: 'f', mime_type: 'm', created_at: 0, metadata: {} });
  let t = Date.now(); await a.upsertPages([p('1', 'd1', 'hello world'), p('2', 'd2', 'other')]); console.log('upsert', Date.now() - t);
  t = Date.now(); await a.upsertPages([p('1', 'd1', 'changed')]); console.log('upsert2', Date.now() - t);
  t = Date.now(); await a.deleteDocument('d1'); console.log('delete', Date.now() - t);
  t = Date.now(); await a.deleteDocument('dx'); console.log('delete none', Date.now() - t);
  const r = await fetch('http://127.0.0.1:7799/tasks?indexUids=timing&limit=4', { headers: { Authorization: 'Bearer probe-master-key-123456' } });
  for (const task of ((await r.json()) as any).results) console.log(task.type, task.duration, task.enqueuedAt, task.startedAt, task.finishedAt);
  a.close();
})();
