import type { Schemas } from '@recto/api-client';
import { textTable } from './text-table';

export function renderStatus(counts: Schemas['DocumentCountsDto']): string {
  const rows = (['Processing', 'Processed', 'Failed'] as const).map((s) => [s, String(counts[s])]);
  return textTable(['STATUS', 'DOCUMENTS'], [...rows, ['total', String(counts.total)]]);
}
