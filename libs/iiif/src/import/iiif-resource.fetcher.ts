import { Injectable } from '@nestjs/common';
import { DomainException } from '@recto/common';
import { UrlFetcher, UrlFetchFailedException } from '@recto/documents';
import { FileStorage, ReceivedFile } from '@recto/storage';
import { readFile } from 'node:fs/promises';

/** Builds the error of a resource that could not be fetched; `transient` when trying again later may help. */
export type Unreachable = (detail: string, cause: unknown, transient: boolean) => DomainException;

/**
 * Fetches a manifest's resources through the SSRF-safe UrlFetcher, within the upload byte limit.
 * Failures to fetch get the caller's error (naming what was fetched); refusals (address policy,
 * byte limit) keep their own code, naming the URL.
 */
@Injectable()
export class IiifResourceFetcher {
  constructor(
    private readonly urls: UrlFetcher,
    private readonly storage: FileStorage,
  ) {}

  /** The resource as a temporary file, for the caller to commit or discard. */
  async file(url: string, unreachable: Unreachable): Promise<ReceivedFile> {
    try {
      return (await this.urls.fetch(url)).file;
    } catch (err) {
      if (!(err instanceof DomainException)) throw err;
      if (err instanceof UrlFetchFailedException) throw unreachable(`${url}: ${err.message}`, err, err.transient);
      throw new DomainException(err.code, `${url}: ${err.message}`, [
        { pointer: '/iiif_manifest', detail: err.errors[0]?.detail ?? err.code },
      ]);
    }
  }

  async bytes(url: string, unreachable: Unreachable): Promise<Buffer> {
    const file = await this.file(url, unreachable);
    try {
      return await readFile(file.tempPath);
    } finally {
      await this.storage.discard(file);
    }
  }
}
