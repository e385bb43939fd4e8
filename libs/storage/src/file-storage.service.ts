import { Injectable } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileTooLargeException } from './file-too-large.exception';

/** A file received into the temporary area, hashed while it streamed in. */
export interface ReceivedFile {
  tempPath: string;
  sizeBytes: number;
  sha256: string;
  /** The first bytes, for type detection. */
  head: Buffer;
}

const HEAD_BYTES = 4100;

/**
 * Originals on local disk, content-addressed per tenant (`originals/<tenant>/<ab>/<sha256>`),
 * so that identical uploads share bytes and deleting one tenant's file never touches another's.
 * Client-supplied names never become part of a path.
 */
@Injectable()
export class FileStorage {
  private readonly root: string;

  constructor(config: SharedConfig) {
    this.root = resolve(config.DATA_DIR);
  }

  async receive(source: Readable, maxBytes: number): Promise<ReceivedFile> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tempPath = join(tmpDir, randomUUID());
    const hash = createHash('sha256');
    const headChunks: Buffer[] = [];
    let headLength = 0;
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new FileTooLargeException(maxBytes));
        hash.update(chunk);
        if (headLength < HEAD_BYTES) {
          headChunks.push(chunk.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
        }
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tempPath, { flags: 'wx' }));
    } catch (err) {
      await rm(tempPath, { force: true });
      throw err;
    }
    return { tempPath, sizeBytes: size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks) };
  }

  async receiveBuffer(bytes: Buffer, maxBytes: number): Promise<ReceivedFile> {
    return this.receive(Readable.from([bytes]), maxBytes);
  }

  /** Where a tenant's file with these bytes lives (once committed). */
  keyOf(tenantId: string, sha256: string): string {
    return join('originals', tenantId, sha256.slice(0, 2), sha256);
  }

  /** Moves a received file to its content address and returns the storage key. */
  async commit(file: ReceivedFile, tenantId: string): Promise<string> {
    const key = this.keyOf(tenantId, file.sha256);
    const target = this.pathOf(key);
    await mkdir(join(target, '..'), { recursive: true });
    await rename(file.tempPath, target);
    return key;
  }

  async discard(file: ReceivedFile): Promise<void> {
    await rm(file.tempPath, { force: true });
  }

  pathOf(key: string): string {
    const full = resolve(this.root, key);
    if (!full.startsWith(this.root + '/')) throw new Error(`Storage key escapes the data directory: ${key}`);
    return full;
  }

  openRead(key: string): ReadStream {
    return createReadStream(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.pathOf(key)).then(
      () => true,
      () => false,
    );
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
