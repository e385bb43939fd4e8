import type * as Meilisearch from 'meilisearch' with { 'resolution-mode': 'import' };

/**
 * The client package is typed as ESM, which a node16/CommonJS project cannot `import` without
 * TS1479, although it ships a CommonJS build that `require` resolves to. We take the types from
 * the ESM declarations and the values from the CommonJS build.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const meilisearch = require('meilisearch') as typeof Meilisearch;

export const { MeiliSearch, MeiliSearchApiError, MeiliSearchRequestTimeOutError } = meilisearch;
export type MeiliSearchClient = Meilisearch.MeiliSearch;
export type MeiliIndex = Meilisearch.Index<Meilisearch.RecordAny>;
export type MeiliSettings = Meilisearch.Settings;
export type MeiliTask = Meilisearch.Task;
export type MeiliErrorResponse = Meilisearch.MeiliSearchErrorResponse;
export type MeiliHttpClient = NonNullable<Meilisearch.Config['httpClient']>;
