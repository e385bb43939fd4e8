/**
 * Evidence for the export formats on real scans: uploads dev scans to the built api and worker
 * (local OCR), exports each as a searchable PDF, renders it with pdftoppm, reads its text layer
 * with pdftotext -bbox and scores it against the stored words; exports ALTO, PAGE and hOCR and
 * validates them. Writes the files to --out (never into the repository: the scans' licences
 * do not allow redistribution) and prints the figures as JSON.
 *
 *   npm run build && npx tsx scripts/export-evidence.ts [--out /tmp/recto-export-evidence] [names…]
 */
import {
  ALTO_4_XSD,
  loadDevScans,
  PAGE_2019_XSD,
  pdfTextLayout,
  scoreTextLayer,
  startRectoStack,
  xmllint,
} from '@recto/testing';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

async function main() {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args.splice(outAt, 2)[1] : '/tmp/recto-export-evidence';
  const names = args.length ? args : ['funsd_82092117', 'ocrd_gtst_bebel_frau_1879_0146'];
  await mkdir(out, { recursive: true });
  const stack = await startRectoStack('export-evidence', { OCR_LANGUAGES: 'eng+deu' });
  const report: Record<string, unknown> = {};
  try {
    for (const scan of loadDevScans().filter((s) => names.includes(s.name))) {
      const language = scan.language.startsWith('de') ? 'deu' : 'eng';
      const res = await stack.client.uploadFile(scan.imagePath, { language });
      const id = (res.body.document as { id: string }).id;
      const done = await stack.client.waitProcessed(id);
      if (done.status !== 'Processed') throw new Error(`${scan.name}: ${JSON.stringify(done.error)}`);
      const page = await stack.client.get<{ page: { words: { content: string; polygon: [number, number][] }[] } }>(
        `/v1/documents/${id}/pages/1`,
      );
      const pdf = new Uint8Array(
        await (await fetch(`${stack.client.baseUrl}/v1/documents/${id}/export?format=pdf`)).arrayBuffer(),
      );
      const pdfPath = join(out, `${scan.name}.pdf`);
      await writeFile(pdfPath, pdf);
      execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', pdfPath, join(out, `${scan.name}.pdf-render`)]);
      const layout = pdfTextLayout(pdf);
      const validity: Record<string, boolean> = {};
      for (const [format, schema] of [
        ['alto', ALTO_4_XSD],
        ['page', PAGE_2019_XSD],
        ['hocr', undefined],
      ] as const) {
        const body = (await stack.client.get<string>(`/v1/documents/${id}/export?format=${format}`)).body;
        await writeFile(join(out, `${scan.name}.${format}.xml`), body);
        validity[format] = xmllint(body, schema).ok;
      }
      report[scan.name] = {
        pdf_bytes: pdf.length,
        pdf_page_points: layout.pages[0],
        text_layer: scoreTextLayer(page.body.page.words, layout, 1),
        valid: validity,
      };
    }
  } finally {
    await stack.stop();
  }
  console.log(JSON.stringify({ out, report }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
