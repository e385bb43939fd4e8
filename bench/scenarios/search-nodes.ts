import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from '@recto/embedded-services';
import { MeilisearchAdapter, ShardedSearchIndex, type PageIndexDocument, type SearchIndex } from '@recto/search';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, flag, numberArg } from '../lib/args';
import { KeepAliveClient, runClosedLoop, type LoadRound, type LoadTask } from '../lib/load';
import { machineInfo, writeResult } from '../lib/results';
import { diskUsage } from '../lib/sizes';
import { formatTable, median, round, spread } from '../lib/stats';
import { buildVocabulary, indexPagesOf, queryMix, SyntheticCorpus, type BenchQuery } from '../lib/synthetic-corpus';

const TENANT = 'default';
const LIMIT = 20;
const CONCURRENCY = 8;
const PAGES_PER_DOCUMENT = 10;
const INDEX = 'bench_nodes';

/**
 * One Meilisearch node against three (Community edition, all on this machine): the same
 * synthetic pages loaded into one node and spread over three by document id, then the same
 * queries at 8 clients, interleaved round by round, through the search index the API uses —
 * `1-node` (MeilisearchAdapter), `3-nodes` (ShardedSearchIndex: fan-out and merge by ranking
 * score) — and `3-nodes-federated`: one federated multi-search with `remotes` sent to the first
 * node (Meilisearch's experimental network feature), raw, without the adapter's match mapping.
 */
export async function searchNodesScenario(): Promise<void> {
  const pages = numberArg('pages', 30_000);
  const rounds = numberArg('rounds', 5);
  const repeat = numberArg('repeat', 4);
  const stateDir = arg('state', join(tmpdir(), 'recto-bench-nodes'));
  if (flag('fresh')) await rm(stateDir, { recursive: true, force: true });
  // --from DIR --from-index NAME: the one-node layout is an index already loaded (e.g. the search
  // bench's 100k pages, a copy of its Meilisearch data directory), and the three nodes are filled
  // from its documents: one indexing pass instead of two on a machine where indexing is the bottleneck.
  const from = arg('from');
  const oneIndex = arg('from-index', INDEX);
  const meilis: EmbeddedMeilisearch[] = [];
  for (let i = 0; i < 4; i++) {
    const dataDir = i === 0 && from ? from : join(stateDir, `node${i}`);
    await mkdir(dataDir, { recursive: true });
    meilis.push(await startEmbeddedMeilisearch({ dataDir, port: 0, killStale: true }));
  }
  const adapter = (m: EmbeddedMeilisearch, indexName = INDEX) =>
    new MeilisearchAdapter({
      url: m.url,
      apiKey: m.masterKey,
      indexName,
      taskTimeoutMs: 3_600_000,
      requestTimeoutMs: 120_000,
    });
  const one = adapter(meilis[0], oneIndex);
  const threeNodes = meilis.slice(1);
  const threeAdapters = threeNodes.map((m) => adapter(m));
  const three = new ShardedSearchIndex(threeNodes.map((m, i) => ({ key: m.url, index: threeAdapters[i] })));
  const http = new KeepAliveClient();
  try {
    await one.ensureSettings();
    await three.ensureSettings();
    const vocabulary = buildVocabulary(50_000);
    const load = from
      ? await copyInto(three, threeAdapters, meilis[0], oneIndex, pages)
      : await loadBoth(one, three, vocabulary, pages);
    const disk = await diskOf(meilis, stateDir, pages, http, oneIndex, from);
    console.log('disk', disk);
    const federated = await enableNetwork(threeNodes);

    const queries = queryMix(vocabulary);
    const send: Record<string, (q: string) => Promise<void>> = {
      '1-node': async (q) => void (await one.search({ q, tenantId: TENANT, limit: LIMIT, offset: 0 })),
      '3-nodes': async (q) => void (await three.search({ q, tenantId: TENANT, limit: LIMIT, offset: 0 })),
      '3-nodes-federated': async (q) => {
        const res = await http.send(`${threeNodes[0].url}/multi-search`, {
          method: 'POST',
          headers: { authorization: `Bearer ${threeNodes[0].masterKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(federated(q)),
        });
        if (res.status !== 200) throw new Error(`federated search: ${res.status}`);
      },
    };
    const perRound: Record<string, LoadRound[]> = Object.fromEntries(Object.keys(send).map((t) => [t, []]));
    for (let r = 0; r < rounds; r++) {
      // Interleaved, the order turned each round, so that the machine's noise hits every target.
      const order = Object.keys(send);
      for (let k = 0; k < r % order.length; k++) order.push(order.shift()!);
      for (const target of order) {
        perRound[target].push(await runClosedLoop(tasksFor(queries, repeat, send[target]), CONCURRENCY));
      }
      process.stdout.write(`round ${r + 1}/${rounds} `);
    }
    process.stdout.write('\n');
    const summary = Object.fromEntries(
      Object.entries(perRound).map(([target, list]) => [
        target,
        {
          p50_ms: round(median(list.map((l) => l.p50))),
          p95_ms: round(median(list.map((l) => l.p95))),
          p99_ms: round(median(list.map((l) => l.p99))),
          rps: round(median(list.map((l) => l.rps)), 1),
          rps_spread: round(spread(list.map((l) => l.rps)), 3),
          errors: list.reduce((n, l) => n + l.errors, 0),
        },
      ]),
    );
    const base = summary['1-node'];
    console.log(
      formatTable(
        ['target', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'p50 vs 1 node', 'errors'],
        Object.entries(summary).map(([t, s]) => [
          t,
          s.p50_ms,
          s.p95_ms,
          s.p99_ms,
          s.rps,
          round(s.p50_ms / base.p50_ms),
          s.errors,
        ]),
      ),
    );
    const file = writeResult(
      'search-nodes',
      { pages, rounds, repeat, concurrency: CONCURRENCY, load, disk, targets: summary },
      machineInfo(),
    );
    console.log(`wrote ${file}`);
  } finally {
    one.close();
    three.close();
    for (const m of meilis) await m.stop();
  }
}

function tasksFor(queries: BenchQuery[], repeat: number, send: (q: string) => Promise<void>): LoadTask[] {
  const tasks: LoadTask[] = [];
  for (let i = 0; i < repeat; i++)
    for (const query of queries) tasks.push({ tag: query.kind, run: () => send(query.q) });
  return tasks;
}

/** The corpus into both layouts (kept between runs with the same --state). */
async function loadBoth(one: MeilisearchAdapter, three: ShardedSearchIndex, vocabulary: string[], pages: number) {
  const have = await one.countPages();
  if (have === pages) return { kept: true, pages };
  if (have > 0) throw new Error(`the kept corpus has ${have} pages, not ${pages}: use --fresh`);
  const corpus = new SyntheticCorpus({
    vocabulary,
    pagesPerDocument: PAGES_PER_DOCUMENT,
    wordsPerPage: [120, 280],
    seed: 1,
  });
  const seconds = { '1-node': 0, '3-nodes': 0 };
  for (let done = 0; done < pages;) {
    const batch: PageIndexDocument[] = [];
    while (batch.length < 2_000 && done + batch.length < pages) {
      batch.push(...indexPagesOf(corpus.nextDocument(), TENANT));
    }
    for (const [target, index] of [
      ['1-node', one],
      ['3-nodes', three],
    ] as [keyof typeof seconds, SearchIndex][]) {
      const t0 = performance.now();
      await index.upsertPages(batch);
      seconds[target] += (performance.now() - t0) / 1000;
    }
    done += batch.length;
    process.stdout.write(`${done} `);
  }
  process.stdout.write('\n');
  return {
    kept: false,
    pages,
    load_seconds: { '1-node': round(seconds['1-node'], 1), '3-nodes': round(seconds['3-nodes'], 1) },
  };
}

/** The three-node layout filled from the pages of an index already loaded on one node. */
async function copyInto(
  three: ShardedSearchIndex,
  nodes: MeilisearchAdapter[],
  source: EmbeddedMeilisearch,
  indexName: string,
  pages: number,
) {
  const have = (await Promise.all(nodes.map((n) => n.countPages()))).reduce((a, b) => a + b, 0);
  if (have === pages) return { kept: true, pages, from: indexName };
  if (have > 0) throw new Error(`the three nodes hold ${have} pages, not ${pages}: use --fresh`);
  type Stored = PageIndexDocument & { printed?: string };
  let seconds = 0;
  let copied = 0;
  for (let offset = 0; offset < pages; offset += 20_000) {
    const res = await fetch(`${source.url}/indexes/${indexName}/documents/fetch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${source.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ offset, limit: Math.min(20_000, pages - offset) }),
    });
    if (!res.ok) throw new Error(`reading ${indexName}: ${res.status}`);
    const { results } = (await res.json()) as { results: Stored[] };
    // Stored pages hold the folded text as content and the printed one apart: upsertPages folds again.
    const batch = results.map(({ printed, ...page }) => ({ ...page, content: printed ?? page.content }));
    const t0 = performance.now();
    await three.upsertPages(batch);
    seconds += (performance.now() - t0) / 1000;
    copied += batch.length;
    process.stdout.write(`${copied} `);
  }
  process.stdout.write('\n');
  if (copied !== pages) throw new Error(`${indexName} holds ${copied} pages, not ${pages}`);
  return { kept: false, pages, from: indexName, load_seconds: { '3-nodes': round(seconds, 1) } };
}

/** Disk per page of each layout: Meilisearch's databaseSize and the data directory on disk. */
async function diskOf(
  meilis: EmbeddedMeilisearch[],
  stateDir: string,
  pages: number,
  http: KeepAliveClient,
  oneIndex: string,
  from: string | undefined,
) {
  const nodes: { node: string; pages: number; databaseBytes: number; dataDirBytes: number }[] = [];
  for (const [i, m] of meilis.entries()) {
    const stats = JSON.parse(
      (await http.send(`${m.url}/stats`, { headers: { authorization: `Bearer ${m.masterKey}` } })).body.toString(),
    ) as { databaseSize: number; indexes: Record<string, { numberOfDocuments: number }> };
    nodes.push({
      node: i === 0 ? '1-node' : `3-nodes #${i}`,
      pages: stats.indexes[i === 0 ? oneIndex : INDEX]?.numberOfDocuments ?? 0,
      databaseBytes: stats.databaseSize,
      dataDirBytes: await diskUsage(i === 0 && from ? from : join(stateDir, `node${i}`)),
    });
  }
  const spread3 = nodes.slice(1);
  const sum = (key: 'databaseBytes' | 'dataDirBytes', list: typeof nodes) => list.reduce((n, x) => n + x[key], 0);
  return {
    nodes,
    '1-node': { bytesPerPage: Math.round(sum('databaseBytes', nodes.slice(0, 1)) / pages) },
    '3-nodes': {
      bytesPerPage: Math.round(sum('databaseBytes', spread3) / pages),
      pagesPerNode: spread3.map((n) => n.pages),
    },
  };
}

/** Turns on the network feature and tells each node of the others; returns the federated query. */
async function enableNetwork(nodes: EmbeddedMeilisearch[]) {
  const remotes = Object.fromEntries(nodes.map((m, i) => [`node${i}`, { url: m.url, searchApiKey: m.masterKey }]));
  for (const [i, m] of nodes.entries()) {
    const call = (path: string, body: unknown) =>
      fetch(`${m.url}${path}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${m.masterKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => {
        if (!r.ok) throw new Error(`${path} on node ${i}: ${r.status}`);
      });
    await call('/experimental-features', { network: true });
    await call('/network', { self: `node${i}`, remotes });
  }
  return (q: string) => ({
    federation: { limit: LIMIT, offset: 0 },
    queries: nodes.map((_, i) => ({
      indexUid: INDEX,
      q,
      filter: [`tenant_id = "${TENANT}"`],
      attributesToRetrieve: ['id', 'document_id', 'page_number', 'content'],
      showMatchesPosition: true,
      federationOptions: { remote: `node${i}` },
    })),
  });
}
