import { MeilisearchAdapter } from '../src/adapters/meilisearch/meilisearch.adapter';
import { PageIndexDocument } from '../src/search-index.interface';
const url = 'http://127.0.0.1:7799';
const apiKey = 'probe-master-key-123456';
const WORDS = 'invoice contract total amount payment due date customer supplier address tax net gross order delivery shipment reference account bank transfer signature page document scan receipt report summary'.split(' ');
function content(i: number): string {
  let s = '';
  let x = i * 7919 + 13;
  for (let w = 0; w < 250; w++) { x = (x * 1103515245 + 12345) & 0x7fffffff; s += WORDS[x % WORDS.length] + (w % 12 === 11 ? '\n' : ' '); }
  return s;
}
const median = (a: number[]) => { const b = [...a].sort((x, y) => x - y); return b[Math.floor(b.length / 2)]; };
const pct = (a: number[], p: number) => { const b = [...a].sort((x, y) => x - y); return b[Math.floor(b.length * p)]; };
(async () => {
  const N = Number(process.argv[2] ?? 10000);
  const setup = new MeilisearchAdapter({ url, apiKey, indexName: `bench_${N}` });
  await setup.ensureSettings();
  const stats = await (await fetch(`${url}/indexes/bench_${N}/stats`, { headers: { Authorization: `Bearer ${apiKey}` } })).json() as { numberOfDocuments: number };
  if (stats.numberOfDocuments < N) {
    const pages: PageIndexDocument[] = Array.from({ length: N }, (_, i) => ({ id: `p${i}`, tenant_id: 't', document_id: `d${Math.floor(i / 10)}`, page_number: (i % 10) + 1, content: content(i), filename: 'f.pdf', mime_type: 'application/pdf', created_at: Date.now(), metadata: {} }));
    const t = Date.now(); await setup.upsertPages(pages); console.log(`indexed ${N} pages in ${Date.now() - t} ms`);
  }
  setup.close();
  const queries = ['invoice', 'payment due', 'customer address', 'bank transfer', 'signature', 'tax net', 'delivery', 'report summary'];
  for (const transport of ['fetch', 'keep-alive', 'fetch', 'keep-alive'] as const) {
    const adapter = new MeilisearchAdapter({ url, apiKey, indexName: `bench_${N}`, transport });
    for (let i = 0; i < 20; i++) await adapter.search({ q: queries[i % queries.length], tenantId: 't', limit: 10, offset: 0 });
    const times: number[] = []; let bytes = 0;
    for (let i = 0; i < 200; i++) {
      const t = process.hrtime.bigint();
      const r = await adapter.search({ q: queries[i % queries.length], tenantId: 't', limit: 10, offset: 0 });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      bytes = JSON.stringify(r).length;
    }
    const server = 0;
    console.log(`${transport.padEnd(10)} median ${median(times).toFixed(1)} ms  p90 ${pct(times, 0.9).toFixed(1)} ms  (response ~${bytes} chars)`, server);
    adapter.close();
  }
})();
