import { dirname, join } from 'node:path';

export type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs', {
  with: { 'resolution-mode': 'import' },
});

const SPECIFIER = 'pdfjs-dist/legacy/build/pdf.mjs';
let loading: Promise<Pdfjs> | null = null;

/**
 * pdfjs-dist ships ESM only. Node >= 20.19 can `require()` ES modules, and a require obtained from
 * Node itself (process.getBuiltinModule) bypasses module systems layered on top — notably Jest's,
 * which refuses dynamic `import()` unless run with --experimental-vm-modules. Elsewhere a plain
 * dynamic import is the fallback.
 */
export function loadPdfjs(): Promise<Pdfjs> {
  loading ??= (async () => {
    const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const nodeModule = getBuiltin?.('node:module') as typeof import('node:module') | undefined;
    if (nodeModule) {
      try {
        return nodeModule.createRequire(__filename)(SPECIFIER) as Pdfjs;
      } catch {
        // Older Node without require(esm): try the standard way below.
      }
    }
    return import(SPECIFIER);
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** Directories of pdfjs's data files, so that fonts, CMaps and image decoders load offline. */
export function pdfjsAssetUrls(): {
  standardFontDataUrl: string;
  cMapUrl: string;
  wasmUrl: string;
  iccUrl: string;
} {
  const root = dirname(require.resolve('pdfjs-dist/package.json'));
  // pdfjs appends file names to these, so they need their trailing separator.
  const dir = (name: string) => join(root, name) + '/';
  return {
    standardFontDataUrl: dir('standard_fonts'),
    cMapUrl: dir('cmaps'),
    wasmUrl: dir('wasm'),
    iccUrl: dir('iccs'),
  };
}
