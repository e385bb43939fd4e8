import { svgOutline } from './svg-selector.parser';

// SvgSelector values as annotation tools write them.
describe('svgOutline', () => {
  it('reads a polygon (Annotorious)', () => {
    expect(svgOutline('<svg><polygon points="117,133 246,133 245,262 117,291"></polygon></svg>')).toEqual([
      [117, 133],
      [246, 133],
      [245, 262],
      [117, 291],
    ]);
  });

  it('reads a path with relative commands (Mirador 3 rectangles: M … v h v z)', () => {
    const svg =
      "<svg xmlns='http://www.w3.org/2000/svg'><path xmlns='http://www.w3.org/2000/svg' " +
      "d='M1069.5,1297.5v-152h209v152z' data-paper-data='{&quot;state&quot;:null}' fill='none' " +
      "stroke='#00bfff' stroke-width='1'/></svg>";
    expect(svgOutline(svg)).toEqual([
      [1069.5, 1297.5],
      [1069.5, 1145.5],
      [1278.5, 1145.5],
      [1278.5, 1297.5],
    ]);
  });

  it('keeps a curve within its end and control points; reads a rect', () => {
    expect(svgOutline('<svg><path d="M10 10 C 20 0, 40 0, 50 10 L 50 40 L 10 40 Z"/></svg>')).toEqual([
      [10, 10],
      [20, 0],
      [40, 0],
      [50, 10],
      [50, 40],
      [10, 40],
    ]);
    expect(svgOutline('<svg><rect x="5" y="6" width="100" height="20"/></svg>')).toEqual([
      [5, 6],
      [105, 6],
      [105, 26],
      [5, 26],
    ]);
  });

  it.each([
    ['no shape', '<svg><circle cx="5" cy="5" r="3"/></svg>'],
    ['a line of points', '<svg><polyline points="0,0 10,0 20,0"/></svg>'],
    ['too few points', '<svg><polygon points="0,0 10,10"/></svg>'],
    ['a rect without size', '<svg><rect x="1" y="1"/></svg>'],
    ['an unknown path command', '<svg><path d="M0,0 X5,5 L10,10"/></svg>'],
  ])('gives null for %s', (_name, svg) => {
    expect(svgOutline(svg)).toBeNull();
  });
});
