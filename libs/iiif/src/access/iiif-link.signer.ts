import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SigningKey {
  id: string;
  secret: string;
}

/** What a valid token says; `expired` tokens had a valid signature. */
export type VerifiedLink = { tenantId: string; expiresAt: Date; expired: boolean } | null;

const TOKEN = /^([A-Za-z0-9_-]{1,32})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/**
 * Signed, expiring IIIF links. A token is `<key id>.<expiry, unix seconds>.<HMAC-SHA256>` over the
 * tenant, the document id and the expiry, and stands in one path segment in front of the
 * document's IIIF routes — viewers build tile URLs by appending to the image service's id, so a
 * signature per URL is impossible; one per document scope (read-only GETs) is what they can carry.
 * The first key signs, every key verifies: rotate by putting a new key first and dropping the old
 * one once its links have expired.
 */
export class IiifLinkSigner {
  constructor(private readonly keys: readonly SigningKey[]) {}

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  sign(tenantId: string, documentId: string, expiresAt: Date): string {
    const key = this.keys[0];
    if (!key) throw new Error('No IIIF signing key configured');
    const exp = Math.floor(expiresAt.getTime() / 1000);
    return `${key.id}.${exp}.${mac(key.secret, tenantId, documentId, exp)}`;
  }

  /**
   * The token's expiry, given the tenant the document belongs to. Null for a malformed token, an
   * unknown key or a signature over anything else (another document, another tenant).
   */
  verify(token: string, documentId: string, tenantId: string, now = new Date()): VerifiedLink {
    const match = TOKEN.exec(token);
    if (!match) return null;
    const [, keyId, expText, signature] = match;
    const key = this.keys.find((k) => k.id === keyId);
    if (!key) return null;
    const exp = Number(expText);
    const expected = Buffer.from(mac(key.secret, tenantId, documentId, exp));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return { tenantId, expiresAt: new Date(exp * 1000), expired: exp * 1000 <= now.getTime() };
  }

  /** `id:secret` pairs, comma-separated (the config's form). */
  static parseKeys(text: string | undefined): SigningKey[] {
    return (text ?? '')
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf(':');
        return { id: pair.slice(0, at), secret: pair.slice(at + 1) };
      });
  }
}

function mac(secret: string, tenantId: string, documentId: string, exp: number): string {
  return createHmac('sha256', secret).update(`recto-iiif-v1\n${tenantId}\n${documentId}\n${exp}`).digest('base64url');
}
