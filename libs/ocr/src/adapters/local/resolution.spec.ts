import { estimateDpi, planResolution, SegmentationMode, DEFAULT_RESOLUTION_RULE } from './resolution';

describe('estimateDpi', () => {
  it('assumes a letter/A4 page when the stored density is a writer default', () => {
    // FUNSD forms: 754×1000 px, stored as 72 dpi, really about 90-100 dpi.
    expect(estimateDpi({ width: 754, height: 1000, density: 72 })).toBeCloseTo(89.6, 0);
    expect(estimateDpi({ width: 2550, height: 3300 })).toBeCloseTo(298, -1);
  });

  it('trusts a stored density that implies a paper-sized page', () => {
    expect(estimateDpi({ width: 1275, height: 1650, density: 150 })).toBe(150);
    // 600 dpi would make a 300×400 px image half an inch tall: not a page scan's density.
    expect(estimateDpi({ width: 300, height: 400, density: 600 })).toBeCloseTo(36, 0);
  });

  it('prefers a known source resolution', () => {
    expect(estimateDpi({ width: 2550, height: 3300, sourceDpi: 100 })).toBe(100);
  });
});

describe('planResolution', () => {
  it('upscales low-resolution pages towards 300 dpi and reads them as sparse text', () => {
    const plan = planResolution({ width: 754, height: 1000, density: 72 });
    expect(plan.scale).toBe(3);
    expect(plan.effectiveDpi).toBe(269);
    expect(plan.psm).toBe(SegmentationMode.SparseText);
  });

  it('does not overshoot 300 dpi', () => {
    const plan = planResolution({ width: 1275, height: 1650, density: 150 });
    expect(plan.scale).toBeCloseTo(2);
    expect(plan.effectiveDpi).toBe(300);
  });

  it('leaves high-resolution pages alone and uses automatic layout analysis', () => {
    const plan = planResolution({ width: 3068, height: 4660, density: 72 });
    expect(plan).toMatchObject({ scale: 1, psm: SegmentationMode.Auto });
  });

  it('caps the upscaled size', () => {
    const rule = { ...DEFAULT_RESOLUTION_RULE, maxOcrPixels: 4_000_000 };
    const plan = planResolution({ width: 1000, height: 1000, density: 100 }, rule);
    expect(plan.scale).toBeCloseTo(2);
  });
});
