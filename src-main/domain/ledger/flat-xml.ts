// A reader of flat, attribute-only XML such as IB's Flex Query statements. Pure.
//
// Why not an XML library: fast-xml-parser is not installed here, and a Flex statement needs little of XML: every
// value sits in an attribute of an element (<Trade accountId="U1" .../>), containers only nest them, there is no text
// content, no namespace, no DTD. This reads exactly that: elements with attributes and their enclosing elements,
// the five predefined entities and numeric character references, and it skips the declaration, comments,
// processing instructions and CDATA. Anything else (a DOCTYPE, an unterminated tag, a bad attribute, mismatched
// closing tags) is an error naming its line.

export class XmlError extends Error {}

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  /** Names of the enclosing elements, outermost first. */
  path: string[];
  /** Attributes of the enclosing elements, same order as path. */
  parents: Record<string, string>[];
  line: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, line: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);|&/g, (m, ref: string | undefined) => {
    if (!ref) throw new XmlError(`line ${line}: a bare & (write &amp;)`);
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) throw new XmlError(`line ${line}: bad character reference ${m}`);
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[ref];
    if (v === undefined) throw new XmlError(`line ${line}: unknown entity ${m}`);
    return v;
  });
}

const ATTR = /\s*([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

/** Every element of the document in order, with its attributes and the elements around it. */
export function readFlatXml(text: string): XmlElement[] {
  const out: XmlElement[] = [];
  const stack: { name: string; attrs: Record<string, string> }[] = [];
  let i = 0;
  let line = 1;
  const advanceTo = (j: number) => {
    for (let k = i; k < j; k++) if (text.charCodeAt(k) === 10) line++;
    i = j;
  };
  const skipPast = (end: string, what: string) => {
    const j = text.indexOf(end, i);
    if (j < 0) throw new XmlError(`line ${line}: unterminated ${what}`);
    advanceTo(j + end.length);
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      advanceTo(text.length);
      break;
    }
    const between = text.slice(i, lt);
    advanceTo(lt);
    if (between.trim() !== '' && stack.length === 0) throw new XmlError(`line ${line}: text outside the root element`);
    if (text.startsWith('<?', i)) skipPast('?>', 'processing instruction');
    else if (text.startsWith('<!--', i)) skipPast('-->', 'comment');
    else if (text.startsWith('<![CDATA[', i)) skipPast(']]>', 'CDATA section');
    else if (text.startsWith('<!', i)) throw new XmlError(`line ${line}: DOCTYPE and entity declarations are not accepted`);
    else if (text.startsWith('</', i)) {
      const m = /^<\/\s*([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(i, i + 200));
      if (!m) throw new XmlError(`line ${line}: a malformed closing tag`);
      const open = stack.pop();
      if (!open || open.name !== m[1]) throw new XmlError(`line ${line}: </${m[1]}> closes ${open ? `<${open.name}>` : 'nothing'}`);
      advanceTo(i + m[0].length);
    } else {
      const start = line;
      const nameMatch = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200));
      if (!nameMatch) throw new XmlError(`line ${line}: a malformed tag`);
      let j = i + nameMatch[0].length;
      const attrs: Record<string, string> = {};
      for (;;) {
        ATTR.lastIndex = j;
        const a = ATTR.exec(text);
        if (!a) break;
        if (Object.hasOwn(attrs, a[1]!)) throw new XmlError(`line ${start}: attribute ${a[1]} appears twice`);
        attrs[a[1]!] = decode(a[3] ?? a[4] ?? '', start);
        j = ATTR.lastIndex;
      }
      const close = /^\s*(\/?)>/.exec(text.slice(j, j + 50));
      if (!close) throw new XmlError(`line ${start}: the tag <${nameMatch[1]}> is not closed properly`);
      advanceTo(j + close[0].length);
      out.push({ name: nameMatch[1]!, attrs, path: stack.map((s) => s.name), parents: stack.map((s) => s.attrs), line: start });
      if (!close[1]) stack.push({ name: nameMatch[1]!, attrs });
    }
  }
  if (stack.length > 0) throw new XmlError(`line ${line}: <${stack[stack.length - 1]!.name}> is never closed`);
  if (out.length === 0) throw new XmlError('no XML element in the file');
  return out;
}
