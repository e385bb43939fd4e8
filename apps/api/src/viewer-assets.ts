import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/** Where `npm run build` puts the web viewer: dist/viewer, beside dist/apps/api/src. */
export const VIEWER_DIR = resolve(__dirname, '..', '..', '..', 'viewer');

const CSP = [
  "default-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the web viewer at `/` as static files. They are public (the viewer asks for the API key
 * itself), and come before the API's routes, which never share a path with them. Run from sources
 * (tests without a build) there is no viewer, and nothing is served.
 */
export function serveViewer(app: NestExpressApplication, dir = VIEWER_DIR): boolean {
  if (!existsSync(join(dir, 'index.html'))) return false;
  app.useStaticAssets(dir, {
    index: 'index.html',
    redirect: false,
    setHeaders: (res, path) => {
      // File names under assets/ carry a content hash; index.html must be revalidated to find new ones.
      const hashed = basename(join(path, '..')) === 'assets';
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (path.endsWith('.html')) res.setHeader('Content-Security-Policy', CSP);
    },
  });
  return true;
}
