import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { TesseractModel } from './local-ocr.options';
import { traineddataPath } from './tesseract-languages';

/**
 * A `--tessdata-dir` for the native program holding the npm models tesseract.js reads (gunzipped:
 * the program reads only plain traineddata), so that both engines read with the very same model
 * and nothing is downloaded. Each language is unpacked once per model file: the directory's name
 * carries the source files' sizes and dates, so an upgraded package gets a fresh directory, and
 * files are renamed into place whole, so processes sharing the cache never read a partial one.
 */
export class NativeTessdataDir {
  private readonly unpacked = new Map<string, Promise<void>>();
  private readonly dir: string;

  constructor(
    private readonly model: TesseractModel,
    languages: string[],
    cacheRoot: string,
  ) {
    const sources = [...languages].sort().map((language) => {
      const source = this.source(language);
      const { size, mtimeMs } = statSync(source);
      return `${source}:${size}:${Math.floor(mtimeMs)}`;
    });
    const hash = createHash('sha256').update(sources.join('\n')).digest('hex').slice(0, 16);
    this.dir = join(cacheRoot, `${model}-${hash}`);
  }

  /** The directory, once each of `languages` is unpacked in it. */
  async path(languages: string[]): Promise<string> {
    await Promise.all(languages.map((language) => this.unpack(language)));
    return this.dir;
  }

  private unpack(language: string): Promise<void> {
    let done = this.unpacked.get(language);
    if (!done) {
      done = this.unpackOnce(language);
      // A failed unpack (full disk) is tried again by the next page rather than remembered.
      done.catch(() => this.unpacked.delete(language));
      this.unpacked.set(language, done);
    }
    return done;
  }

  private async unpackOnce(language: string): Promise<void> {
    const target = join(this.dir, `${language}.traineddata`);
    if (
      await stat(target).then(
        (s) => s.size > 0,
        () => false,
      )
    )
      return;
    await mkdir(this.dir, { recursive: true });
    const partial = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
    try {
      await pipeline(createReadStream(this.source(language)), createGunzip(), createWriteStream(partial));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  private source(language: string): string {
    const source = traineddataPath(language, this.model);
    if (!source) throw new Error(`Tesseract language '${language}' is not installed`);
    return source;
  }
}
