import { ALTO_4_XSD, hasTool, xmllint } from '@recto/testing';
import { samplePage, SAMPLE_META } from '../writing/sample-pages.fixture';
import { parseAlto } from './alto.parser';
import { AltoWriter } from './alto.writer';

const write = (pages = [samplePage(1), samplePage(2)]) => {
  const writer = new AltoWriter(SAMPLE_META);
  return writer.begin() + pages.map((p) => writer.page(p)).join('') + writer.end();
};

const describeWithXmllint = hasTool('xmllint') ? describe : describe.skip;
if (!hasTool('xmllint'))
  console.warn('xmllint (Debian libxml2-utils) is not installed: ALTO schema validation skipped');

describeWithXmllint('ALTO schema', () => {
  it('validates against the published ALTO 4.4 schema, several pages and all', () => {
    const result = xmllint(write(), ALTO_4_XSD);
    expect(result.errors).toBe('');
    expect(result.ok).toBe(true);
  });

  it('validates with an empty page', () => {
    expect(xmllint(write([{ number: 1, width: 10, height: 10, words: [] }]), ALTO_4_XSD).ok).toBe(true);
  });
});

describe('AltoWriter', () => {
  const alto = write([samplePage(1)]);

  it('says pixels and carries positions, content, confidence and spaces in pixels', () => {
    expect(alto).toContain('<MeasurementUnit>pixel</MeasurementUnit>');
    expect(alto).toContain('<Page ID="page_1" PHYSICAL_IMG_NR="1" WIDTH="1000" HEIGHT="1400"');
    expect(alto).toContain(
      '<String ID="string_1_1" HPOS="100" VPOS="100" WIDTH="60" HEIGHT="40" CONTENT="Die" WC="0.91"/>',
    );
    expect(alto).toContain('<SP HPOS="160" VPOS="100" WIDTH="15"/>');
    expect(alto).toContain('CONTENT="Geſellſchaft" WC="0.5"');
    expect(alto).toContain('CONTENT="größer" WC="0.8765"');
  });

  it('escapes markup in content and names', () => {
    expect(alto).toContain('CONTENT="A&amp;B"');
    expect(alto).toContain('<fileName>Zeitung &amp; &quot;Blatt&quot; &lt;1&gt;.png</fileName>');
  });

  it('writes a line-end hyphenation as HYP with both parts marked', () => {
    expect(alto).toContain(
      '<String ID="string_1_4" HPOS="185" VPOS="400" WIDTH="95" HEIGHT="30" CONTENT="ent" SUBS_TYPE="HypPart1" SUBS_CONTENT="entstehen"/><HYP CONTENT="-"/></TextLine>',
    );
    expect(alto).toContain('CONTENT="stehen" SUBS_TYPE="HypPart2" SUBS_CONTENT="entstehen" WC="1"');
  });

  it('groups lines into blocks by geometry and keeps a turned word’s polygon as a Shape', () => {
    expect(alto.match(/<TextBlock /g)).toHaveLength(2);
    expect(alto).toContain('<TextBlock ID="block_1_1" HPOS="100" VPOS="100" WIDTH="300" HEIGHT="40">');
    expect(alto).toMatch(
      /CONTENT="schräg" WC="0.7"><Shape><Polygon POINTS="100,490 200,476 201,497 101,511"\/><\/Shape><\/String>/,
    );
  });

  it('reads back through the ALTO parser as the same words and polygons (within a pixel)', () => {
    const page = samplePage(1);
    const [parsed] = parseAlto(Buffer.from(alto)).pages;
    expect(parsed.words.map((w) => w.content)).toEqual(page.words.map((w) => w.content));
    expect(parsed.words.map((w) => w.confidence)).toEqual(page.words.map((w) => w.confidence));
    parsed.words.slice(0, -1).forEach((w, i) => {
      w.polygon.forEach(([x, y], k) => {
        expect(Math.abs(x - page.words[i].polygon[k][0]) * 1000).toBeLessThanOrEqual(0.5 + 1e-6);
        expect(Math.abs(y - page.words[i].polygon[k][1]) * 1400).toBeLessThanOrEqual(0.5 + 1e-6);
      });
    });
  });
});
