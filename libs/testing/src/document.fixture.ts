import { DocumentEntity, DocumentStatus } from '@recto/database';
import { randomBytes, randomUUID } from 'node:crypto';

/** A document row still Processing (no file behind it), for tests that drive its state by repository. */
export function processingDocument(tenantId: string, overrides: Partial<DocumentEntity> = {}): DocumentEntity {
  return Object.assign(new DocumentEntity(), {
    id: randomUUID(),
    tenantId,
    filename: 'scan.png',
    alias: null,
    metadata: {},
    mimeType: 'image/png',
    sizeBytes: 1,
    sha256: randomBytes(32).toString('hex'),
    storageKey: 'x',
    status: DocumentStatus.Processing,
    ocrProvider: 'local',
    ...overrides,
  });
}
