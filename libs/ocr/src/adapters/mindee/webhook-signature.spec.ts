import { createHmac } from 'node:crypto';
import { signMindeeWebhook, verifyMindeeSignature } from './webhook-signature';

const secret = 'whsec-test';
const body = Buffer.from('{"inference":{"id":"x"}}');
const good = createHmac('sha256', secret).update(body).digest('hex');

describe('Mindee webhook signatures', () => {
  it('accepts the hex HMAC-SHA256 of the raw body, in either case', () => {
    expect(signMindeeWebhook(body, secret)).toBe(good);
    expect(verifyMindeeSignature(body, good, secret)).toBe(true);
    expect(verifyMindeeSignature(body, good.toUpperCase(), secret)).toBe(true);
  });

  it('rejects a signature of other bytes, another secret, or a malformed or missing header', () => {
    expect(verifyMindeeSignature(Buffer.from('{"inference": {"id":"x"}}'), good, secret)).toBe(false);
    expect(verifyMindeeSignature(body, createHmac('sha256', 'other').update(body).digest('hex'), secret)).toBe(false);
    expect(verifyMindeeSignature(body, good.slice(0, 63), secret)).toBe(false);
    expect(verifyMindeeSignature(body, `sha256=${good}`, secret)).toBe(false);
    expect(verifyMindeeSignature(body, undefined, secret)).toBe(false);
    expect(verifyMindeeSignature(body, good, '')).toBe(false);
  });
});
