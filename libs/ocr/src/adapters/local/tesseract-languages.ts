import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TesseractModel } from './local-ocr.options';

const SCOPE = '@tesseract.js-data';
const MODEL_DIRS: Record<TesseractModel, string> = {
  // tessdata_best converted to integers, LSTM only: smaller and more accurate than the legacy set.
  best_int: '4.0.0_best_int',
  // tessdata 4.0.0: LSTM plus the legacy engine's data, which LSTM-only workers never use.
  standard: '4.0.0',
};

/** Path of a language's gzipped traineddata inside node_modules, or null if not installed. */
export function traineddataPath(language: string, model: TesseractModel): string | null {
  if (!/^[a-z][a-z0-9_]*$/i.test(language)) return null;
  try {
    const root = dirname(require.resolve(`${SCOPE}/${language}/package.json`));
    const file = join(root, MODEL_DIRS[model], `${language}.traineddata.gz`);
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** Every language pack installed under @tesseract.js-data that has the model. */
export function installedLanguages(model: TesseractModel): string[] {
  const found = new Set<string>();
  for (const dir of require.resolve.paths(SCOPE) ?? []) {
    const scope = join(dir, SCOPE);
    if (!existsSync(scope)) continue;
    for (const language of readdirSync(scope)) {
      if (traineddataPath(language, model)) found.add(language);
    }
  }
  return [...found].sort();
}

/**
 * A directory holding links to the installed traineddata files. tesseract.js reads every
 * language from one `langPath`, but each language lives in its own package directory (and its
 * API for passing bytes directly is broken in v7: the bytes end up used as the language's name).
 */
export class TesseractLanguageDir {
  private dir: Promise<string> | null = null;

  constructor(private readonly model: TesseractModel) {}

  /** The directory, with a link for each of `languages`. */
  async path(languages: string[]): Promise<string> {
    this.dir ??= mkdtemp(join(tmpdir(), 'recto-tessdata-'));
    const dir = await this.dir;
    for (const language of languages) {
      const target = traineddataPath(language, this.model);
      if (!target) throw new Error(`Tesseract language '${language}' is not installed`);
      const link = join(dir, `${language}.traineddata.gz`);
      await symlink(target, link).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') return copyFile(target, link);
      });
    }
    return dir;
  }

  async remove(): Promise<void> {
    const dir = this.dir;
    this.dir = null;
    if (dir) await rm(await dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
