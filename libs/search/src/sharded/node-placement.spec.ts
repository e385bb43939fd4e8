import { ownerOf } from './node-placement';

const ids = Array.from({ length: 3000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const three = ['http://a:7700', 'http://b:7700', 'http://c:7700'];

describe('ownerOf', () => {
  it('is stable: the same document and nodes always give the same node', () => {
    expect(ids.slice(0, 50).map((id) => ownerOf(id, three))).toEqual(ids.slice(0, 50).map((id) => ownerOf(id, three)));
  });

  it('spreads documents about evenly', () => {
    const counts = [0, 0, 0];
    for (const id of ids) counts[ownerOf(id, three)]++;
    for (const n of counts) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });

  it('adding a node moves only documents onto the new node, about one in four', () => {
    const four = [...three, 'http://d:7700'];
    let moved = 0;
    for (const id of ids) {
      const before = ownerOf(id, three);
      const after = ownerOf(id, four);
      if (after !== before) {
        expect(after).toBe(3);
        moved++;
      }
    }
    expect(moved / ids.length).toBeGreaterThan(0.18);
    expect(moved / ids.length).toBeLessThan(0.32);
  });

  it('does not depend on the order the nodes are listed in', () => {
    const reversed = [...three].reverse();
    for (const id of ids.slice(0, 100)) expect(three[ownerOf(id, three)]).toBe(reversed[ownerOf(id, reversed)]);
  });
});
