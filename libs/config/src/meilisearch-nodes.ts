import type { SharedConfig } from './shared.config';

export interface MeilisearchNode {
  url: string;
  apiKey?: string;
}

/**
 * The Meilisearch nodes of a configuration: MEILI_URLS with MEILI_MASTER_KEYS (or MEILI_MASTER_KEY
 * for every node), else the one MEILI_URL; empty when neither is set.
 */
export function meilisearchNodesOf(
  config: Pick<SharedConfig, 'MEILI_URL' | 'MEILI_MASTER_KEY' | 'MEILI_URLS' | 'MEILI_MASTER_KEYS'>,
): MeilisearchNode[] {
  if (config.MEILI_URLS?.length) {
    const keys = config.MEILI_MASTER_KEYS;
    if (keys?.length && keys.length !== config.MEILI_URLS.length) {
      throw new Error(
        `MEILI_MASTER_KEYS has ${keys.length} keys for ${config.MEILI_URLS.length} MEILI_URLS: give one per node.`,
      );
    }
    return config.MEILI_URLS.map((url, i) => ({ url, apiKey: keys?.[i] ?? config.MEILI_MASTER_KEY }));
  }
  return config.MEILI_URL ? [{ url: config.MEILI_URL, apiKey: config.MEILI_MASTER_KEY }] : [];
}
