import { Injectable } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Identifies one rendering of one page: the same bytes, page, size and format give the same image. */
export interface PageImageKey {
  tenantId: string;
  sha256: string;
  page: number;
  width: number;
  format: string;
  /** Renderer version, so that a changed renderer never serves stale pixels. */
  version: number;
  /**
   * Anything else that tells two renderings apart: how the page is turned (renderer's
   * pageImageVariant), an IIIF Image API request's canonical form; '' or absent for neither.
   */
  variant?: string;
}

/**
 * Rendered page images on disk under `DATA_DIR/page-images/<tenant>/<ab>/<sha256>/`, addressed by
 * the original's content like the originals themselves, so one document's images go with one
 * directory removal and another tenant's copy of the same bytes is never touched.
 */
@Injectable()
export class PageImageCache {
  private readonly root: string;

  constructor(config: SharedConfig) {
    this.root = join(resolve(config.DATA_DIR), 'page-images');
  }

  async get(key: PageImageKey): Promise<Buffer | null> {
    return readFile(this.fileOf(key)).catch(() => null);
  }

  /** The file of a cached rendering, for readers that only need part of it (a tiled TIFF). */
  async locate(key: PageImageKey): Promise<string | null> {
    const file = this.fileOf(key);
    return (await stat(file).catch(() => null))?.isFile() ? file : null;
  }

  /** Written to a temporary name and renamed, so a reader never sees half an image. */
  async put(key: PageImageKey, data: Buffer): Promise<void> {
    const target = this.fileOf(key);
    await mkdir(join(target, '..'), { recursive: true });
    const temp = `${target}.${randomUUID()}.tmp`;
    await writeFile(temp, data);
    await rename(temp, target);
  }

  async removeDocument(tenantId: string, sha256: string): Promise<void> {
    await rm(this.dirOf(tenantId, sha256), { recursive: true, force: true });
  }

  private dirOf(tenantId: string, sha256: string): string {
    const dir = resolve(this.root, tenantId, sha256.slice(0, 2), sha256);
    if (!/^[0-9a-f]{64}$/.test(sha256) || !dir.startsWith(this.root + '/') || tenantId.includes('/')) {
      throw new Error(`Page image cache key escapes its directory: ${tenantId}/${sha256}`);
    }
    return dir;
  }

  private fileOf(key: PageImageKey): string {
    // Short word-like variants (turns) stand as they are; anything else (free text from a request,
    // where stripping characters would make two requests one file) by its hash.
    const variant = !key.variant
      ? ''
      : /^[\w-]{1,40}$/.test(key.variant)
        ? `-${key.variant}`
        : `-${createHash('sha256').update(key.variant).digest('hex').slice(0, 24)}`;
    const name = `p${Math.trunc(key.page)}-w${Math.trunc(key.width)}-v${Math.trunc(key.version)}${variant}.${key.format.replace(/\W/g, '')}`;
    return join(this.dirOf(key.tenantId, key.sha256), name);
  }
}
