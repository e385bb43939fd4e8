import { ApiKeyService } from '@recto/auth';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedRequest } from './api-key.guard';
import { authenticate, AUTHENTICATED } from './authenticate';

/**
 * Refuses a request with a body and no valid key before a byte of the body is read. JSON bodies
 * may be as large as an upload (base64 content), so parsing them for anyone who asks would hand
 * unauthenticated callers that much memory and CPU. The socket is closed after the answer, so
 * the unread body is not drained either. The caller found is kept on the request for the guard.
 */
export function authenticateBeforeBody(keys: ApiKeyService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return next();
    authenticate(keys, req.headers.authorization).then(
      (caller) => {
        (req as AuthenticatedRequest)[AUTHENTICATED] = caller;
        next();
      },
      (err: unknown) => {
        res.setHeader('Connection', 'close');
        next(err);
      },
    );
  };
}
