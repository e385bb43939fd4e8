import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import { parseAlto } from './alto.parser';

const alto = (body: string, unit = 'pixel', ns = 'http://www.loc.gov/standards/alto/ns-v4#') =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="${ns}"><Description><MeasurementUnit>${unit}</MeasurementUnit></Description>
<Layout><Page ID="p1" WIDTH="1000" HEIGHT="2000"><PrintSpace><TextBlock>${body}</TextBlock></PrintSpace></Page></Layout></alto>`);

describe('parseAlto', () => {
  it('maps String boxes to relative polygons clockwise from the top-left, with WC as confidence', () => {
    const file = parseAlto(
      alto('<TextLine><String CONTENT="Hello" HPOS="100" VPOS="200" WIDTH="300.5" HEIGHT="50" WC="0.93"/></TextLine>'),
    );
    expect(file.format).toBe('alto');
    const [page] = file.pages;
    expect(page).toMatchObject({ number: 1, width: 1000, height: 2000, unit: 'pixel' });
    expect(page.words).toEqual([
      {
        content: 'Hello',
        polygon: [
          [0.1, 0.1],
          [0.4005, 0.1],
          [0.4005, 0.125],
          [0.1, 0.125],
        ],
        confidence: 0.93,
        line: 0,
      },
    ]);
  });

  it('puts a line-end HYP on the word before it so the pipeline joins the halves', () => {
    const file = parseAlto(
      alto(
        `<TextLine><String CONTENT="ent" SUBS_TYPE="HypPart1" SUBS_CONTENT="entstehen" HPOS="0" VPOS="0" WIDTH="10" HEIGHT="10"/><HYP CONTENT="-"/></TextLine>
         <TextLine><String CONTENT="stehen" SUBS_TYPE="HypPart2" SUBS_CONTENT="entstehen" HPOS="0" VPOS="20" WIDTH="10" HEIGHT="10"/></TextLine>`,
      ),
    );
    expect(file.pages[0].words.map((w) => [w.content, w.line])).toEqual([
      ['ent-', 0],
      ['stehen', 1],
    ]);
  });

  it('refuses a file that is not ALTO', () => {
    expect(() => parseAlto(Buffer.from('<PcGts/>'))).toThrow(InvalidOcrFileException);
  });
});
