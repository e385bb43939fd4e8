export * from './test-database';
export * from './test-meilisearch';
export * from './dev-scans';
export * from './geometry';
export * from './fake-ocr.provider';
export * from './service-processes';
export * from './dev-set-scorer';
export * from './recto-http-client';
export * from './recto-stack';
export * from './hostile-files';
export * from './test-services';
export { FakeMindeeServer, type JobPlan } from './fake-mindee/fake-mindee.server';
export { pageFromGroundTruth } from './fake-mindee/ground-truth-pages';
export * from './ocr-export-checks';
export * from './event-stream.reader';
export * from './document.fixture';
export * from './page-ink';
export * from './dev-scan-variants';
<<<<<<< HEAD
export * from './expect-problem';
export * from './api-test-app';
=======
export * from './stored-words';
>>>>>>> 84b0f04 (Highlights say how they matched (exact, prefix, typo, phrase) and searches take typos=0|1|2|auto and prefix=true|false: typos=0 quotes query words so Meilisearch itself matches them exactly, prefix=false ends the query with a space, and matches outside the options are dropped after classification against the folded query words; REST, document and IIIF search; viewer draws approximate matches dashed with a legend; eval --params scores extra search parameters)
