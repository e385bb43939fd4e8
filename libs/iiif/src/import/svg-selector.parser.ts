type Xy = [number, number];

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;
const numbers = (s: string): number[] => (s.match(NUMBER) ?? []).map(Number);
const attribute = (tag: string, name: string): string | null =>
  new RegExp(`\\b${name}\\s*=\\s*(["'])([^"']*)\\1`, 'i').exec(tag)?.[2] ?? null;

/** Numbers each path command takes, and which of them are x,y pairs the outline keeps (control points included). */
const PATH_ARGS: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };

/** The points a path passes through or is bent towards (control points bound a curve), absolute and relative commands. */
function pathPoints(d: string): Xy[] {
  const points: Xy[] = [];
  let [x, y] = [0, 0];
  let start: Xy = [0, 0];
  for (const [, command, args] of d.matchAll(/([a-z])([^a-z]*)/gi)) {
    const op = command.toLowerCase();
    const relative = command !== command.toUpperCase();
    const n = PATH_ARGS[op];
    if (n === undefined) return [];
    if (op === 'z') {
      [x, y] = start;
      continue;
    }
    const values = numbers(args);
    for (let i = 0; i + n <= values.length; i += n) {
      const v = values.slice(i, i + n);
      const [ox, oy] = relative ? [x, y] : [0, 0];
      if (op === 'h') x = ox + v[0];
      else if (op === 'v') y = oy + v[0];
      else if (op === 'a') [x, y] = [ox + v[5], oy + v[6]];
      else {
        for (let k = 0; k + 2 < n; k += 2) points.push([ox + v[k], oy + v[k + 1]]);
        [x, y] = [ox + v[n - 2], oy + v[n - 1]];
      }
      points.push([x, y]);
      // A moveto's further pairs are linetos; the subpath starts at its first.
      if (op === 'm' && i === 0) start = [x, y];
    }
  }
  return points;
}

/**
 * The outline an SvgSelector draws (what annotation tools such as Annotorious and Mirador 3 write
 * for regions that are not rectangles), in the SVG's units (the canvas's): the points of its first
 * `polygon`/`polyline`, `rect` or `path`. Null when it draws none of these or nothing with an area.
 */
export function svgOutline(svg: string): Xy[] | null {
  const shape = /<(polygon|polyline|rect|path)\b[^>]*>/i.exec(svg);
  if (!shape) return null;
  const [tag, kind] = [shape[0], shape[1].toLowerCase()];
  let points: Xy[] = [];
  if (kind === 'rect') {
    const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((a) =>
      Number(attribute(tag, a) ?? (a.length > 1 ? NaN : 0)),
    );
    if ([x, y, w, h].every(Number.isFinite)) {
      points = [
        [x, y],
        [x + w, y],
        [x + w, y + h],
        [x, y + h],
      ];
    }
  } else if (kind === 'path') {
    points = pathPoints(attribute(tag, 'd') ?? '');
  } else {
    const v = numbers(attribute(tag, 'points') ?? '');
    for (let i = 0; i + 1 < v.length; i += 2) points.push([v[i], v[i + 1]]);
  }
  if (points.length < 3 || points.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y))) return null;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return Math.max(...xs) > Math.min(...xs) && Math.max(...ys) > Math.min(...ys) ? points : null;
}
