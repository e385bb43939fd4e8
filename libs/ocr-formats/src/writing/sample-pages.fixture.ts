import type { ExportMetadata, WritablePage, WritableWord } from './writable-page';

/** A word as an axis-aligned box in pixels of a 1000 × 1400 page. */
function word(
  content: string,
  line: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  confidence: number | null = 0.91,
): WritableWord {
  const [w, h] = [1000, 1400];
  return {
    content,
    line,
    confidence,
    polygon: [
      [x0 / w, y0 / h],
      [x1 / w, y0 / h],
      [x1 / w, y1 / h],
      [x0 / w, y1 / h],
    ],
  };
}

export const SAMPLE_META: ExportMetadata = {
  documentName: 'Zeitung & "Blatt" <1>.png',
  imageName: 'Zeitung & "Blatt" <1>.png',
  ocrProvider: 'local',
  created: new Date('2026-12-01T12:00:00.000Z'),
};

/**
 * Two blocks (a heading, then a paragraph far below it), a word hyphenated across a line end,
 * markup characters and historical letters, a word without confidence and one whose polygon is
 * turned (not its own box).
 */
export function samplePage(number = 1): WritablePage {
  const words: WritableWord[] = [
    word('Die', 0, 100, 100, 160, 140),
    word('Geſellſchaft', 0, 175, 100, 400, 140, 0.5),
    word('A&B', 1, 100, 400, 170, 430),
    word('<ent->', 1, 185, 400, 280, 430, null),
    word('stehen', 2, 100, 440, 200, 470, 1),
    word('größer', 2, 215, 440, 330, 470, 0.8765),
  ];
  words[3].content = 'ent-';
  words[3].hyphenated = true;
  words.push({
    content: 'schräg',
    line: 3,
    confidence: 0.7,
    polygon: [
      [0.1, 0.35],
      [0.2, 0.34],
      [0.201, 0.355],
      [0.101, 0.365],
    ],
  });
  return { number, width: 1000, height: 1400, words };
}
