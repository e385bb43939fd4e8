import { ApiKeyService, Caller } from '@recto/auth';
import { DomainException, ErrorCode } from '@recto/common';

/** Where the caller found before the body was read is kept, so the guard does not look it up again. */
export const AUTHENTICATED = Symbol('authenticated caller');

/**
 * The caller behind an `Authorization: <key>` or `Bearer <key>` header: null when the service is
 * open (no keys anywhere); throws Unauthorized without a valid key.
 */
export async function authenticate(keys: ApiKeyService, authorization: string | undefined): Promise<Caller | null> {
  if (await keys.isOpen()) return null;
  const key = (authorization ?? '').replace(/^Bearer\s+/i, '').trim();
  const caller = await keys.resolve(key);
  if (!caller) {
    throw new DomainException(
      ErrorCode.Unauthorized,
      key ? 'The API key is not valid.' : 'An API key is required in the Authorization header.',
    );
  }
  return caller;
}
