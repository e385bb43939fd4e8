#!/usr/bin/env node
import 'reflect-metadata';
import { ApiRequestError, createRectoClient, unwrap } from '@recto/api-client';
import { CliConfig, ConfigValidationError, loadConfig } from '@recto/config';
import { parseArgs } from 'node:util';
import { importFiles, type ImportReport } from './import.command';
import { renderSearch } from './search.command';
import { renderStatus } from './status.command';

const USAGE = `Usage: recto <command> [options]

Commands:
  import <dir|file>...   upload scans (directories recursively); skips what the server already has.
                         An image's OCR sidecar is sent with it, and Recto uses that OCR instead of
                         running its own: the file beside the image whose name without extension
                         is the image's name without extension, or that followed by a dot and more
                         (0001.tif takes 0001.xml, 0001.alto.xml, 0001.page.xml, 0001.hocr,
                         0001.hocr.html, 0001.truth.hocr; OCR extensions: .xml .hocr .html .htm
                         .xhtml). ALTO, hOCR or PAGE XML is told from the content. Two candidates
                         for one image fail that image. An OCR file named on the command line
                         that is no image's sidecar is sent alone (an OCR-only document).
      --concurrency <n>  uploads at once (default RECTO_CONCURRENCY, 4)
      --wait             wait until every document is processed
      --timeout <s>      give up waiting after this many seconds (default 3600)
      --no-sidecars      send images only, ignore OCR files (Recto runs its own OCR)
      --ocr-only         also send OCR files found in directories without an image
  search "<query>"       print matching pages as a table
      --limit <n>        hits to show (default 20)
      --document <id>    search inside one document
  status                 documents by status

Options for every command:
  --json                 machine-readable output on stdout
  --url <url>            the server (default RECTO_URL, http://localhost:3000)
  --api-key <key>        the API key (default RECTO_API_KEY)
  -h, --help             this help`;

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      'no-sidecars': { type: 'boolean', default: false },
      'ocr-only': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      limit: { type: 'string' },
      document: { type: 'string' },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig(CliConfig);
  const client = createRectoClient({
    baseUrl: values.url ?? config.RECTO_URL,
    apiKey: values['api-key'] ?? config.RECTO_API_KEY,
  });
  const json = values.json;
  const out = (data: unknown) => process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);

  switch (command) {
    case 'import': {
      if (args.length === 0) throw new UsageError('recto import needs at least one directory or file');
      const report = await importFiles(
        client,
        args,
        {
          concurrency: positiveInt(values.concurrency, 'concurrency', config.RECTO_CONCURRENCY),
          wait: values.wait,
          timeoutSeconds: positiveInt(values.timeout, 'timeout', 3600),
          sidecars: !values['no-sidecars'],
          ocrOnly: values['ocr-only'],
        },
        process.stderr,
        json,
      );
      if (json) out(report);
      else console.log(importSummary(report, values.wait));
      const s = report.summary;
      return s.failed > 0 || (values.wait && (s.processing_failed > 0 || s.processing > 0)) ? 1 : 0;
    }
    case 'search': {
      const query = args.join(' ').trim();
      if (!query) throw new UsageError('recto search needs a query');
      const limit = positiveInt(values.limit, 'limit', 20);
      const result = await unwrap(
        client.GET('/v1/search', { params: { query: { q: query, limit, document_id: values.document } } }),
      );
      if (json) out(result);
      else console.log(renderSearch(result, { isTTY: process.stdout.isTTY === true, columns: process.stdout.columns }));
      return 0;
    }
    case 'status': {
      const counts = (await unwrap(client.GET('/v1/stats'))).documents;
      if (json) out({ documents: counts });
      else console.log(renderStatus(counts));
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function importSummary(report: ImportReport, waited: boolean): string {
  const s = report.summary;
  const lines = [
    `${s.total} files in ${s.seconds} s: ${s.uploaded} uploaded, ${s.skipped} already on the server, ${s.failed} failed`,
  ];
  if (s.with_ocr > 0) lines.push(`with their own OCR: ${s.with_ocr}`);
  if (s.unpaired_ocr > 0) {
    lines.push(`OCR files without an image, not sent (--ocr-only sends them): ${s.unpaired_ocr}`);
    for (const path of report.unpaired_ocr) lines.push(`  ${path}`);
  }
  if (waited) {
    lines.push(`processing: ${s.processed} processed, ${s.processing_failed} failed, ${s.processing} still processing`);
    if (s.low_quality > 0) lines.push(`low OCR quality: ${s.low_quality} (GET /v1/documents?quality=low)`);
  }
  for (const f of report.files.filter((f) => f.error)) lines.push(`  ${f.path}: ${f.error}`);
  return lines.join('\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`recto: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof ConfigValidationError || err instanceof ApiRequestError) {
      console.error(`recto: ${err.message}`);
      process.exitCode = 1;
    } else if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`recto: ${(err as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  },
);
