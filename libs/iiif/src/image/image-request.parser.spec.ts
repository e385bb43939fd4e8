import { imageLimitsOf, isAnnouncedRequest, scaleFactorsOf, sizesOf } from './image-info.builder';
import { ImageRequestParams, InvalidImageRequestException, parseImageRequest } from './image-request.parser';

const image = { width: 3000, height: 4000 };
const limits = imageLimitsOf(image);
const req = (region: string, size: string, rotation = '0', file = 'default.jpg') => {
  const [quality, format] = file.split('.');
  return parseImageRequest({ region, size, rotation, quality, format }, image, limits);
};
const rejects = (params: Partial<ImageRequestParams>, parameter: string) => {
  const all = { region: 'full', size: 'max', rotation: '0', quality: 'default', format: 'jpg', ...params };
  try {
    parseImageRequest(all, image, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidImageRequestException);
    expect((error as InvalidImageRequestException).errors[0].pointer).toBe(`/${parameter}`);
    return;
  }
  throw new Error(`accepted ${JSON.stringify(all)}`);
};

describe('IIIF Image API request parsing', () => {
  it('resolves regions: full, square, pixels (cropped at the edge) and percentages', () => {
    expect(req('full', 'max').region).toEqual({ x: 0, y: 0, width: 3000, height: 4000 });
    expect(req('square', 'max').region).toEqual({ x: 0, y: 500, width: 3000, height: 3000 });
    expect(req('2500,3500,1000,1000', 'max').region).toEqual({ x: 2500, y: 3500, width: 500, height: 500 });
    expect(req('pct:10,25,50,50', 'max').region).toEqual({ x: 300, y: 1000, width: 1500, height: 2000 });
    expect(req('0,0,3000,4000', 'max').canonical).toBe('full/max/0/default.jpg');
  });

  it('scales to every size form, keeping the aspect ratio but for w,h', () => {
    expect(req('full', '1500,').size).toEqual({ width: 1500, height: 2000 });
    expect(req('full', ',1000').size).toEqual({ width: 750, height: 1000 });
    expect(req('full', 'pct:10').size).toEqual({ width: 300, height: 400 });
    expect(req('full', '100,100').size).toEqual({ width: 100, height: 100 });
    expect(req('full', '!300,300').size).toEqual({ width: 225, height: 300 });
    // !w,h never upscales without ^, and does with it.
    expect(req('0,0,100,100', '!300,200').size).toEqual({ width: 100, height: 100 });
    expect(req('0,0,100,100', '^!300,200').size).toEqual({ width: 200, height: 200 });
    expect(req('0,0,100,100', '^max').size).toEqual({ width: 4096, height: 4096 });
    expect(req('0,0,100,100', '^200,').canonical).toBe('0,0,100,100/^200,200/0/default.jpg');
    expect(req('full', '1500,').canonical).toBe('full/1500,2000/0/default.jpg');
  });

  it('reads mirroring, rotations, qualities and formats', () => {
    expect(req('full', 'max', '!90')).toMatchObject({ mirror: true, rotation: 90 });
    expect(req('full', 'max', '22.5', 'gray.png')).toMatchObject({ rotation: 22.5, quality: 'gray', format: 'png' });
    expect(req('full', 'max', '360', 'bitonal.webp')).toMatchObject({ rotation: 0, format: 'webp' });
    expect(req('full', 'max', '!180', 'color.jpg').canonical).toBe('full/max/!180/color.jpg');
  });

  it('answers 400 cases of the spec with the parameter at fault', () => {
    rejects({ region: '0,0,0,10' }, 'region');
    rejects({ region: '3000,0,10,10' }, 'region');
    rejects({ region: '1,2,3' }, 'region');
    rejects({ region: '-1,0,10,10' }, 'region');
    rejects({ region: 'pct:a,0,1,1' }, 'region');
    rejects({ size: '3001,' }, 'size');
    rejects({ size: 'pct:101' }, 'size');
    rejects({ size: '0,' }, 'size');
    rejects({ size: 'big' }, 'size');
    rejects({ size: '^20000,' }, 'size');
    rejects({ rotation: '361' }, 'rotation');
    rejects({ rotation: '-90' }, 'rotation');
    rejects({ quality: 'sepia' }, 'quality');
    rejects({ format: 'gif' }, 'format');
  });
});

describe('IIIF Image API tiles and sizes', () => {
  it('halves until one tile holds the page, and lists the page at each factor', () => {
    expect(scaleFactorsOf(image)).toEqual([1, 2, 4, 8]);
    expect(sizesOf(image)).toEqual([
      { width: 375, height: 500 },
      { width: 750, height: 1000 },
      { width: 1500, height: 2000 },
      { width: 3000, height: 4000 },
    ]);
  });

  it('caches what info.json announces (tiles, listed sizes), not arbitrary requests', () => {
    expect(isAnnouncedRequest(req('1024,2048,1024,1024', '512,512'), image)).toBe(true);
    expect(isAnnouncedRequest(req('2048,3072,952,928', '476,464'), image)).toBe(true);
    expect(isAnnouncedRequest(req('full', '750,1000'), image)).toBe(true);
    expect(isAnnouncedRequest(req('100,100,512,512', 'max'), image)).toBe(false);
    expect(isAnnouncedRequest(req('0,0,512,512', 'max', '90'), image)).toBe(false);
    expect(isAnnouncedRequest(req('full', '760,'), image)).toBe(false);
  });
});
