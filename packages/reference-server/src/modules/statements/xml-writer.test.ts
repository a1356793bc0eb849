import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { escapeXmlAttribute, escapeXmlText, XmlWriter, xmlCharacters } from './xml-writer.ts';

/** Parses `xml` with a strict, namespace-aware XML parser (saxes) and returns each element's text and attributes. */
function parse(xml: string): { name: string; text: string; attributes: Record<string, string> }[] {
  const parser = new SaxesParser({ xmlns: true });
  const elements: { name: string; text: string; attributes: Record<string, string> }[] = [];
  const stack: { name: string; text: string; attributes: Record<string, string> }[] = [];
  parser.on('opentag', (tag) => {
    const attributes = Object.fromEntries(Object.entries(tag.attributes).map(([k, a]) => [k, a.value]));
    const element = { name: tag.local, text: '', attributes };
    stack.push(element);
    elements.push(element);
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('closetag', () => stack.pop());
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(xml).close();
  return elements;
}

function document(write: (xml: XmlWriter) => void): string {
  let out = '';
  const xml = new XmlWriter((text) => {
    out += text;
  });
  xml.declaration();
  write(xml);
  xml.finish();
  return out;
}

describe('XML writer', () => {
  it('when text and attributes hold markup, then they are escaped', () => {
    expect(escapeXmlText('a < b & c > d "e"')).toBe('a &lt; b &amp; c &gt; d "e"');
    expect(escapeXmlAttribute('"x"\n<y>')).toBe('&quot;x&quot;&#10;&lt;y&gt;');
    expect(
      document((xml) => xml.start('Doc', { xmlns: 'urn:x' }).leaf('A', 'x&y', { Ccy: 'K"S' }).end()),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Doc xmlns="urn:x">\n  <A Ccy="K&quot;S">x&amp;y</A>\n</Doc>\n',
    );
  });

  it('when any string is written as text or attribute, then a strict parser reads back the same characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (text, attribute) => {
        const xml = document((w) => w.start('Doc').leaf('T', text, { a: attribute }).end());
        const [, element] = parse(xml);
        // Only what XML cannot carry at all is dropped; a parser normalises CR LF and lone CR in text to LF.
        expect(element?.text).toBe(xmlCharacters(text).replace(/\r\n?/g, '\n'));
        expect(element?.attributes.a).toBe(xmlCharacters(attribute));
      }),
      { numRuns: 300 },
    );
  });

  it('when elements are left open or names are not XML names, then the writer refuses', () => {
    expect(() => document((xml) => xml.start('Doc'))).toThrow(/unclosed/);
    expect(() => document((xml) => xml.end())).toThrow(/no element/);
    expect(() => document((xml) => xml.start('a b'))).toThrow(/not an XML name/);
    expect(() => document((xml) => xml.start('Doc', { '"': 'x' }))).toThrow(/not an XML name/);
  });
});
