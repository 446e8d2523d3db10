/** Test helper: checks SVG and other XML output without a dependency. */

/**
 * A small XML well-formedness checker (no dependencies): one root element, every tag closed in
 * order, attributes quoted and unique, no raw '<' or unescaped '&' in text or attribute values,
 * only the predefined and numeric entities. Returns the element names in document order.
 */
export function checkWellFormed(xml: string): string[] {
  const NAME = '[A-Za-z_][A-Za-z0-9_.:-]*';
  const entityOk = (s: string): boolean => !/&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(s);
  const elements: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const chunk = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (!entityOk(chunk)) throw new Error(`bad entity in text near ${i}`);
    if (stack.length === 0 && chunk.trim() !== '') throw new Error(`text outside the root near ${i}`);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error(`unterminated tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}> at ${lt}`);
    } else {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const m = new RegExp(`^(${NAME})`).exec(body);
      if (m === null || m[1] === undefined) throw new Error(`bad tag name at ${lt}: ${tag.slice(0, 20)}`);
      const name = m[1];
      let rest = body.slice(name.length);
      const seen = new Set<string>();
      const attr = new RegExp(`^\\s+(${NAME})="([^"<]*)"|^\\s+(${NAME})='([^'<]*)'`);
      for (;;) {
        const a = attr.exec(rest);
        if (a === null) break;
        const key = a[1] ?? a[3] ?? '';
        if (seen.has(key)) throw new Error(`duplicate attribute ${key} on <${name}>`);
        seen.add(key);
        if (!entityOk(a[2] ?? a[4] ?? '')) throw new Error(`bad entity in attribute ${key}`);
        rest = rest.slice(a[0].length);
      }
      if (rest.trim() !== '') throw new Error(`malformed attributes on <${name}>: ${rest.slice(0, 30)}`);
      if (stack.length === 0) roots++;
      elements.push(name);
      if (!selfClosing) stack.push(name);
    }
    i = gt + 1;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
  return elements;
}
