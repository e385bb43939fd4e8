import type { NextFunction, Request, Response } from 'express';

/** The keyed IIIF routes of a document, and the signed ones of a link. */
const IIIF_PATH = /^\/v1\/(documents\/[^/]+\/iiif|iiif\/[^/]+\/[^/]+)(\/|$)/;

/**
 * CORS for IIIF: viewers (Mirador, Universal Viewer, OpenSeadragon) run on other origins and
 * fetch manifests, info.json, tiles and search results with plain GETs. Any origin may read them
 * (`*`, no credentials: access is the key in `Authorization` or the signed link in the path), and
 * preflights are answered here, before authentication, since they never carry a key.
 */
export function iiifCors(req: Request, res: Response, next: NextFunction): void {
  if (!IIIF_PATH.test(req.path)) return next();
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'ETag, Link, Content-Length, RateLimit-Remaining, Retry-After');
  if (req.method !== 'OPTIONS') return next();
  res.setHeader('Access-Control-Allow-Methods', req.path.endsWith('/links') ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Accept, Content-Type, If-None-Match');
  res.setHeader('Access-Control-Max-Age', '86400');
  res.status(204).end();
}
