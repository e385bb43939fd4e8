import { createHmac, timingSafeEqual } from 'node:crypto';

export const MINDEE_SIGNATURE_HEADER = 'x-mindee-hmac-signature';

export function signMindeeWebhook(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Mindee signs each webhook with HMAC-SHA256 over the exact body bytes, hex-encoded. Compared in
 * constant time, so that response timing reveals nothing about the expected signature.
 */
export function verifyMindeeSignature(rawBody: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature || !secret) return false;
  const given = signature.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = Buffer.from(signMindeeWebhook(rawBody, secret), 'hex');
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}
