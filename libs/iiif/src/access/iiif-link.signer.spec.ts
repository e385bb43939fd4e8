import { IiifLinkSigner } from './iiif-link.signer';

const doc = '0b8c5c2e-8a51-4f1c-9a55-2f4f1c0f9b10';
const other = '1b8c5c2e-8a51-4f1c-9a55-2f4f1c0f9b10';
const old = { id: 'k1', secret: 'a'.repeat(32) };
const current = { id: 'k2', secret: 'b'.repeat(32) };
const inAnHour = new Date(Date.now() + 3600_000);

describe('signed IIIF links', () => {
  it('verifies its own token for that tenant and document only', () => {
    const signer = new IiifLinkSigner([current]);
    const token = signer.sign('acme', doc, inAnHour);
    expect(token).toMatch(/^k2\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(signer.verify(token, doc, 'acme')).toMatchObject({ tenantId: 'acme', expired: false });
    expect(signer.verify(token, other, 'acme')).toBeNull();
    expect(signer.verify(token, doc, 'globex')).toBeNull();
    const [kid, exp, mac] = token.split('.');
    expect(signer.verify(`${kid}.${Number(exp) + 3600}.${mac}`, doc, 'acme')).toBeNull();
    expect(signer.verify(`${kid}.${exp}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, doc, 'acme')).toBeNull();
    expect(signer.verify('garbage', doc, 'acme')).toBeNull();
  });

  it('says when a valid token has expired', () => {
    const signer = new IiifLinkSigner([current]);
    const token = signer.sign('acme', doc, new Date(Date.now() - 1000));
    expect(signer.verify(token, doc, 'acme')).toMatchObject({ expired: true });
  });

  it('signs with the first key and verifies with every key, for rotation', () => {
    const before = new IiifLinkSigner([old]).sign('acme', doc, inAnHour);
    const rotated = new IiifLinkSigner([current, old]);
    expect(rotated.verify(before, doc, 'acme')).not.toBeNull();
    expect(rotated.sign('acme', doc, inAnHour)).toMatch(/^k2\./);
    expect(new IiifLinkSigner([current]).verify(before, doc, 'acme')).toBeNull();
  });

  it('parses id:secret pairs', () => {
    expect(IiifLinkSigner.parseKeys(` k2:${current.secret} , k1:${old.secret}`)).toEqual([current, old]);
    expect(IiifLinkSigner.parseKeys(undefined)).toEqual([]);
  });
});
