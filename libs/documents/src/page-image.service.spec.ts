import {
  PAGE_IMAGE_MAX_WIDTH,
  PAGE_IMAGE_MIN_WIDTH,
  PAGE_IMAGE_WIDTHS,
  pageImageWidthBucket,
} from './page-image.service';

describe('pageImageWidthBucket', () => {
  it('rounds a width up to the next rendered size, so the cache stays bounded', () => {
    expect(pageImageWidthBucket(PAGE_IMAGE_MIN_WIDTH)).toBe(16);
    expect(pageImageWidthBucket(17)).toBe(32);
    expect(pageImageWidthBucket(500)).toBe(640);
    expect(pageImageWidthBucket(640)).toBe(640);
    expect(pageImageWidthBucket(3999)).toBe(4000);
    expect(pageImageWidthBucket(PAGE_IMAGE_MAX_WIDTH + 1)).toBe(PAGE_IMAGE_MAX_WIDTH);
  });

  it('has sizes in increasing order', () => {
    expect([...PAGE_IMAGE_WIDTHS].sort((a, b) => a - b)).toEqual([...PAGE_IMAGE_WIDTHS]);
  });
});
