import { hasTool, PAGE_2019_XSD, xmllint } from '@recto/testing';
import { samplePage, SAMPLE_META } from '../writing/sample-pages.fixture';
import { PageXmlWriter } from './page-xml.writer';

const writer = new PageXmlWriter(SAMPLE_META);

(hasTool('xmllint') ? describe : describe.skip)('PAGE schema', () => {
  it('validates against the published PAGE 2019-07-15 schema', () => {
    const result = xmllint(writer.write(samplePage(3)), PAGE_2019_XSD);
    expect(result.errors).toBe('');
    expect(result.ok).toBe(true);
  });

  it('validates with an empty page', () => {
    expect(xmllint(writer.write({ number: 1, width: 10, height: 10, words: [] }), PAGE_2019_XSD).ok).toBe(true);
  });
});

describe('PageXmlWriter', () => {
  const xml = writer.write(samplePage(1));

  it('gives the page its image and pixel size, and the regions a reading order', () => {
    expect(xml).toContain('<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"');
    expect(xml).toContain(
      '<Page imageFilename="Zeitung &amp; &quot;Blatt&quot; &lt;1&gt;.png" imageWidth="1000" imageHeight="1400">',
    );
    expect(xml).toContain(
      '<ReadingOrder><OrderedGroup id="reading_order_1"><RegionRefIndexed index="0" regionRef="region_1_1"/><RegionRefIndexed index="1" regionRef="region_1_2"/></OrderedGroup></ReadingOrder>',
    );
  });

  it('writes each word’s own polygon in pixels, with its text and confidence', () => {
    expect(xml).toContain(
      '<Word id="word_1_1"><Coords points="100,100 160,100 160,140 100,140"/><TextEquiv conf="0.91"><Unicode>Die</Unicode></TextEquiv></Word>',
    );
    expect(xml).toContain(
      '<Coords points="100,490 200,476 201,497 101,511"/><TextEquiv conf="0.7"><Unicode>schräg</Unicode>',
    );
    expect(xml).toContain(
      '<Word id="word_1_4"><Coords points="185,400 280,400 280,430 185,430"/><TextEquiv><Unicode>ent-</Unicode>',
    );
    expect(xml).toContain('<TextEquiv><Unicode>A&amp;B ent-</Unicode></TextEquiv></TextLine>');
  });
});
