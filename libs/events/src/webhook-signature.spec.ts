import { createHmac } from 'node:crypto';
import { generateWebhookSecret, signWebhook, verifyWebhook } from './webhook-signature';

// The test vector published with the Standard Webhooks reference libraries (and Svix's).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signature', () => {
  it('reproduces the published test vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, Buffer.from(VECTOR.body))).toBe(VECTOR.signature);
  });

  it('verifies the vector, among other signatures, and only within the tolerance', () => {
    const headers = { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature: VECTOR.signature };
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp + 10)).toBe(true);
    const several = { ...headers, signature: `v1,bm9wZQ== ${VECTOR.signature}` };
    expect(verifyWebhook(VECTOR.secret, several, VECTOR.body, VECTOR.timestamp)).toBe(true);
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp + 301)).toBe(false);
    expect(verifyWebhook(VECTOR.secret, headers, `${VECTOR.body} `, VECTOR.timestamp)).toBe(false);
    expect(verifyWebhook(VECTOR.secret, { ...headers, id: 'msg_other' }, VECTOR.body, VECTOR.timestamp)).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), headers, VECTOR.body, VECTOR.timestamp)).toBe(false);
  });

  it('generates whsec_ secrets of 32 random bytes that sign as an independent HMAC does', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    const independent = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update('evt_1.1700000000.{"a":1}')
      .digest('base64');
    expect(signWebhook(secret, 'evt_1', 1700000000, '{"a":1}')).toBe(`v1,${independent}`);
  });
});
