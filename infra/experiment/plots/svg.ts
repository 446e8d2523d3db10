import { PlotInputError } from './errors.js';

/*
 * A tiny SVG builder. Markup is a branded string: only the functions here create it, and they
 * escape every attribute value and every piece of text, so a factor level such as `a<b & "c"`
 * can never break the document or inject elements.
 */

declare const markupBrand: unique symbol;
/** Well-formed SVG/XML produced by this module. Plain strings are not accepted where markup is. */
export type Markup = string & { readonly [markupBrand]: true };

export type AttrValue = string | number | undefined;
/** Attributes; undefined values are left out. */
export type Attrs = Readonly<Record<string, AttrValue>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
// Characters XML 1.0 forbids outright (C0 controls other than tab/newline/CR, lone surrogates,
// U+FFFE/U+FFFF): a parser rejects the whole document if one slips through, so drop them.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for use in element content or a double- or single-quoted attribute value. */
export function escapeXml(text: string): string {
  return text
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Numbers in coordinates: at most 2 decimals, no "-0", never NaN (which would be invalid SVG). */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new PlotInputError(`SVG coordinate is not finite: ${x}`);
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

function attrs(a: Attrs): string {
  let out = '';
  for (const [key, value] of Object.entries(a)) {
    if (value === undefined) continue;
    if (!NAME.test(key)) throw new PlotInputError(`invalid SVG attribute name: ${key}`);
    out += ` ${key}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return out;
}

/** An element; children are markup built by this module. No children gives a self-closing tag. */
export function el(tag: string, attributes: Attrs = {}, children: readonly Markup[] = []): Markup {
  if (!NAME.test(tag)) throw new PlotInputError(`invalid SVG element name: ${tag}`);
  const open = `<${tag}${attrs(attributes)}`;
  return (children.length === 0 ? `${open}/>` : `${open}>${children.join('')}</${tag}>`) as Markup;
}

/** A <text> element whose content is escaped. */
export function text(x: number, y: number, content: string, attributes: Attrs = {}): Markup {
  return `<text${attrs({ x, y, ...attributes })}>${escapeXml(content)}</text>` as Markup;
}

/** A <title> child: shown as a tooltip and read by screen readers. */
export function title(content: string): Markup {
  return `<title>${escapeXml(content)}</title>` as Markup;
}

/** Joins sibling elements into one markup value. */
export function group(children: readonly Markup[], attributes: Attrs = {}): Markup {
  return el('g', attributes, children);
}

export interface DocumentOptions {
  /** Accessible name of the figure (the <title> of the root). */
  readonly title?: string;
  readonly background?: string;
}

/** A standalone SVG document (XML declaration, namespace, white background). */
export function svgDocument(
  width: number,
  height: number,
  children: readonly Markup[],
  options: DocumentOptions = {},
): string {
  const body: Markup[] = [];
  if (options.title !== undefined) body.push(title(options.title));
  body.push(el('rect', { x: 0, y: 0, width, height, fill: options.background ?? '#ffffff' }));
  body.push(...children);
  const root = el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      'font-family': 'DejaVu Sans, Helvetica, Arial, sans-serif',
      role: 'img',
    },
    body,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}
