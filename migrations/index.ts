import { InitialSchema1764460000000 } from './1764460000000-initial-schema';
import { ProviderJobs1764900000000 } from './1764900000000-provider-jobs';
import { ApiKeys1765000000000 } from './1765000000000-api-keys';
import { OcrFiles1766000000000 } from './1766000000000-ocr-files';
import { PageQuality1766200000000 } from './1766200000000-page-quality';
import { Webhooks1766500000000 } from './1766500000000-webhooks';
import { IdempotencyFingerprint1766600000000 } from './1766600000000-idempotency-fingerprint';
import { CompactPageWords1766700000000 } from './1766700000000-compact-page-words';
import { IiifSource1766800000000 } from './1766800000000-iiif-source';
import { DeferredFiles1766900000000 } from './1766900000000-deferred-files';

/** Every migration, in order. Listed by class so that built and ts-run code share one list. */
export const MIGRATIONS = [
  InitialSchema1764460000000,
  ProviderJobs1764900000000,
  ApiKeys1765000000000,
  OcrFiles1766000000000,
  PageQuality1766200000000,
  Webhooks1766500000000,
  IdempotencyFingerprint1766600000000,
  CompactPageWords1766700000000,
  IiifSource1766800000000,
  DeferredFiles1766900000000,
];
