import { OnModuleDestroy } from '@nestjs/common';
import {
  IndexHit,
  IndexQuery,
  IndexResult,
  IndexSort,
  PageIndexDocument,
  SearchIndex,
} from '../search-index.interface';
import { ownerOf } from './node-placement';

export interface SearchNode {
  /** Stable identity of the node for placement (its URL). */
  key: string;
  index: SearchIndex & { countPages(): Promise<number>; close?(): void };
}

type Order = (a: IndexHit, b: IndexHit) => number;

const byPage: Order = (a, b) => a.pageNumber - b.pageNumber;
const ORDERS: Record<IndexSort, Order> = {
  relevance: (a, b) => (b.rankingScore ?? 0) - (a.rankingScore ?? 0),
  page: byPage,
  'created_at:asc': (a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || byPage(a, b),
  'created_at:desc': (a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || byPage(a, b),
};

/**
 * One search index over several nodes (Meilisearch Community edition has no sharding): each
 * document's pages live on one node (`ownerOf`), every search goes to all nodes at once and
 * their answers are merged — by the engine's ranking score, which depends only on the page and
 * the query and so compares across nodes, or by the sort key. Searching every node, not only
 * the owner, keeps a document findable while it waits to be moved after a node was added.
 */
export class ShardedSearchIndex implements SearchIndex, OnModuleDestroy {
  private readonly keys: string[];

  constructor(private readonly nodes: readonly SearchNode[]) {
    if (nodes.length === 0) throw new Error('ShardedSearchIndex needs at least one node.');
    this.keys = nodes.map((n) => n.key);
  }

  private owner(documentId: string): SearchNode['index'] {
    return this.nodes[ownerOf(documentId, this.keys)].index;
  }

  private all<T>(run: (index: SearchNode['index']) => Promise<T>): Promise<T[]> {
    return Promise.all(this.nodes.map((n) => run(n.index)));
  }

  async ensureSettings(): Promise<void> {
    await this.all((i) => i.ensureSettings());
  }

  async upsertPages(pages: PageIndexDocument[]): Promise<void> {
    const byNode = new Map<number, PageIndexDocument[]>();
    for (const page of pages) {
      const node = ownerOf(page.document_id, this.keys);
      byNode.set(node, [...(byNode.get(node) ?? []), page]);
    }
    await Promise.all([...byNode].map(([node, list]) => this.nodes[node].index.upsertPages(list)));
  }

  async deleteDocument(documentId: string): Promise<void> {
    await this.all((i) => i.deleteDocument(documentId));
  }

  /** Writes the pages to their owner and removes any copy another node still holds (rebalancing). */
  async replaceDocument(documentId: string, pages: PageIndexDocument[]): Promise<void> {
    const owner = this.owner(documentId);
    await this.all(async (index) => {
      if (index === owner) return index.replaceDocument(documentId, pages);
      const stale = await index.pageIdsOf(documentId);
      if (stale.length > 0) await index.deletePages(stale);
    });
  }

  /** The nodes' page ids one node after the other, as if they were one list. */
  async listPageIds(offset: number, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let skip = offset;
    for (const { index } of this.nodes) {
      if (ids.length >= limit) break;
      const count = await index.countPages();
      if (skip >= count) {
        skip -= count;
        continue;
      }
      ids.push(...(await index.listPageIds(skip, limit - ids.length)));
      skip = 0;
    }
    return ids;
  }

  async deletePages(ids: string[]): Promise<void> {
    await this.all((i) => i.deletePages(ids));
  }

  async pageIdsOf(documentId: string): Promise<string[]> {
    return (await this.all((i) => i.pageIdsOf(documentId))).flat();
  }

  async deleteAll(): Promise<void> {
    await this.all(async (i) => i.deleteAll?.());
  }

  async search(query: IndexQuery): Promise<IndexResult> {
    // Every node answers the first offset+limit hits; the merged list is then cut to the slice.
    const window = { ...query, offset: 0, limit: query.offset + query.limit };
    const answers = await this.all((i) => i.search(window));
    const seen = new Set<string>();
    const merged = answers
      .flatMap((a) => a.hits)
      .sort(ORDERS[query.sort ?? 'relevance'])
      // A document moved but not yet removed from its old node must not show up twice.
      .filter((hit) => {
        const key = query.distinctDocument ? hit.documentId : hit.pageId;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    const facetDistribution = mergeFacets(answers);
    return {
      hits: merged.slice(query.offset, query.offset + query.limit),
      estimatedTotalHits: answers.reduce((n, a) => n + a.estimatedTotalHits, 0),
      processingTimeMs: Math.max(...answers.map((a) => a.processingTimeMs)),
      ...(facetDistribution ? { facetDistribution } : {}),
    };
  }

  async isHealthy(): Promise<boolean> {
    return (await this.all((i) => i.isHealthy())).every(Boolean);
  }

  onModuleDestroy(): void {
    for (const { index } of this.nodes) index.close?.();
  }

  close(): void {
    this.onModuleDestroy();
  }
}

/** Facet counts of several nodes added up per value. */
function mergeFacets(answers: IndexResult[]): IndexResult['facetDistribution'] {
  if (!answers.some((a) => a.facetDistribution)) return undefined;
  const merged: Record<string, Record<string, number>> = {};
  for (const answer of answers) {
    for (const [facet, values] of Object.entries(answer.facetDistribution ?? {})) {
      const into = (merged[facet] ??= {});
      for (const [value, count] of Object.entries(values)) into[value] = (into[value] ?? 0) + count;
    }
  }
  return merged;
}
