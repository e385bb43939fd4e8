import { loadConfig, TestConfig } from '@recto/config';
import { startEmbeddedMeilisearch } from '@recto/embedded-services';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestMeilisearch {
  url: string;
  apiKey?: string;
  stop(): Promise<void>;
}

/** The Meilisearch of `npm test`, or an embedded one when a suite runs on its own. */
export async function useTestMeilisearch(): Promise<TestMeilisearch> {
  const config = loadConfig(TestConfig);
  if (config.RECTO_TEST_MEILI_URL) {
    return { url: config.RECTO_TEST_MEILI_URL, apiKey: config.RECTO_TEST_MEILI_KEY, stop: async () => undefined };
  }
  const dir = await mkdtemp(join(tmpdir(), 'recto-meili-'));
  const meili = await startEmbeddedMeilisearch({ dataDir: dir, port: 0 });
  return {
    url: meili.url,
    apiKey: meili.masterKey,
    async stop() {
      await meili.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
