/**
 * The upload baseline: a bare node:http server that hashes each request body and streams it to a
 * file, nothing else; the floor under what any streaming upload endpoint can do on this machine.
 * Run as a child process; sends its port to the parent over IPC.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

const dir = process.argv[2];
mkdirSync(dir, { recursive: true });

const server = createServer((req, res) => {
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  pipeline(req, tap, createWriteStream(join(dir, randomUUID()))).then(
    () => {
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sha256: hash.digest('hex') }));
    },
    () => {
      res.writeHead(500);
      res.end();
    },
  );
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
