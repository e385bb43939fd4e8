import { Injectable } from '@nestjs/common';
import { ApiKeyEntity, ApiKeyRepository } from '@recto/database';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const DEFAULT_TENANT = 'default';
export const TENANT_PATTERN = /^[a-z0-9_-]{1,64}$/i;

/** Who is calling: the tenant, and a stable id of the key for throttling (never the key itself). */
export interface Caller {
  tenantId: string;
  keyId: string;
}

export interface CreatedApiKey {
  /** Shown once; only its digest is stored. */
  key: string;
  record: ApiKeyEntity;
}

export interface ApiKeyServiceOptions {
  /** `key:tenant` pairs from API_KEYS. */
  envKeys?: string;
  /** How long a database key is trusted before it is looked up again; bounds how late a revocation bites. */
  cacheSeconds: number;
}

const CACHE_LIMIT = 10_000;

export const digestOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * API keys from two places: `API_KEYS` (simple setups) and the `api_keys` table (managed with
 * `npm run keys`). Keys are 256-bit random, so their SHA-256 is a safe thing to store and to look
 * up by. With no key anywhere, ever, the service is open in the single tenant `default`.
 */
@Injectable()
export class ApiKeyService {
  private readonly envKeys = new Map<string, string>();
  private readonly cache = new Map<string, { caller: Caller; until: number }>();
  private closed = false;
  /** Open mode is re-checked at most this often: a key created elsewhere closes it within the cache time. */
  private openUntil = 0;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly options: ApiKeyServiceOptions,
  ) {
    for (const pair of (options.envKeys ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const at = pair.lastIndexOf(':');
      this.envKeys.set(digestOf(pair.slice(0, at)), pair.slice(at + 1));
    }
  }

  /** Open mode: no key configured and none ever created (revoking every key does not open the API). */
  async isOpen(): Promise<boolean> {
    if (this.closed || this.envKeys.size > 0) return false;
    if (Date.now() < this.openUntil) return true;
    // Keys are never deleted, only revoked: once one exists the answer cannot change back.
    this.closed = await this.keys.anyEverCreated();
    if (!this.closed) this.openUntil = Date.now() + this.options.cacheSeconds * 1000;
    return !this.closed;
  }

  async resolve(key: string): Promise<Caller | null> {
    if (!key) return null;
    const digest = digestOf(key);
    const fromEnv = this.envKeys.get(digest);
    if (fromEnv) return { tenantId: fromEnv, keyId: `env-${digest.slice(0, 16)}` };
    const cached = this.cache.get(digest);
    if (cached && cached.until > Date.now()) return cached.caller;
    const record = await this.keys.findActiveByDigest(digest);
    if (!record) {
      this.cache.delete(digest);
      return null;
    }
    const caller = { tenantId: record.tenantId, keyId: record.id };
    if (this.options.cacheSeconds > 0) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(digest, { caller, until: Date.now() + this.options.cacheSeconds * 1000 });
    }
    return caller;
  }

  async create(tenantId: string, name?: string): Promise<CreatedApiKey> {
    if (!TENANT_PATTERN.test(tenantId)) {
      throw new Error('A tenant is 1–64 letters, digits, "_" or "-".');
    }
    const prefix = `recto_${randomBytes(4).toString('hex')}`;
    const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
    const record = await this.keys.insert({
      id: randomUUID(),
      tenantId,
      prefix,
      keySha256: digestOf(key),
      name: name ?? null,
    });
    this.closed = true;
    return { key, record };
  }

  revoke(idOrPrefix: string): Promise<ApiKeyEntity[]> {
    return this.keys.revoke(idOrPrefix);
  }

  list(tenantId?: string): Promise<ApiKeyEntity[]> {
    return this.keys.list(tenantId);
  }
}
