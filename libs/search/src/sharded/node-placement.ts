import { createHash } from 'node:crypto';

/**
 * The node a document lives on: rendezvous (highest-random-weight) hashing of the document id
 * against each node's key (its URL). Stable across restarts and processes, spreads documents
 * evenly, and adding a node moves only the documents that now score highest on it (about 1 in
 * N+1) — `npm run reindex` moves exactly those.
 */
export function ownerOf(documentId: string, nodeKeys: readonly string[]): number {
  let best = 0;
  let bestWeight = -1n;
  for (const [i, key] of nodeKeys.entries()) {
    const weight = createHash('sha256').update(key).update('\0').update(documentId).digest().readBigUInt64BE(0);
    if (weight > bestWeight) {
      best = i;
      bestWeight = weight;
    }
  }
  return best;
}
