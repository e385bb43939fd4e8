import { requestFingerprint } from './request-fingerprint';

const base = { content: { sha256: 'a'.repeat(64) }, filename: 'scan.png', metadata: { box: 7, shelf: 'B' } };

describe('requestFingerprint', () => {
  it('is the same for the same request, whatever the order of metadata keys', () => {
    expect(requestFingerprint(base)).toBe(requestFingerprint({ ...base, metadata: { shelf: 'B', box: 7 } }));
  });

  it('differs when the file, a field or the source differs', () => {
    const one = requestFingerprint(base);
    expect(requestFingerprint({ ...base, content: { sha256: 'b'.repeat(64) } })).not.toBe(one);
    expect(requestFingerprint({ ...base, filename: 'other.png' })).not.toBe(one);
    expect(requestFingerprint({ ...base, alias: 'x' })).not.toBe(one);
    expect(requestFingerprint({ ...base, metadata: { box: 8, shelf: 'B' } })).not.toBe(one);
    expect(requestFingerprint({ ...base, metadata: { box: '7', shelf: 'B' } })).not.toBe(one);
    expect(requestFingerprint({ ...base, languages: ['deu'] })).not.toBe(one);
    expect(requestFingerprint({ ...base, content: { url: 'https://example.org/a.png' } })).not.toBe(one);
    // The same URL as a file to fetch and as a IIIF manifest to import are two requests.
    expect(requestFingerprint({ ...base, content: { iiifManifest: 'https://example.org/a.png' } })).not.toBe(
      requestFingerprint({ ...base, content: { url: 'https://example.org/a.png' } }),
    );
  });
});
