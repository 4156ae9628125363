// A minimal SVG writer: elements as plain objects, rendered with every text and attribute escaped.

export type SvgChild = SvgElement | string;

export interface SvgElement {
  name: string;
  attrs: Record<string, string | number>;
  children: SvgChild[];
}

export function el(
  name: string,
  attrs: Record<string, string | number> = {},
  ...children: SvgChild[]
): SvgElement {
  return { name, attrs, children };
}

/** A standalone SVG document: XML declaration, then the element tree. */
export function renderSvg(root: SvgElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root, "")}\n`;
}

function render(node: SvgElement, indent: string): string {
  const attrs = Object.entries(node.attrs)
    .map(([key, value]) => ` ${key}="${escapeXml(formatValue(value))}"`)
    .join("");
  if (node.children.length === 0) return `${indent}<${node.name}${attrs}/>`;
  if (node.children.every((child) => typeof child === "string")) {
    return `${indent}<${node.name}${attrs}>${node.children.map((c) => escapeXml(c as string)).join("")}</${node.name}>`;
  }
  const inner = node.children
    .map((child) =>
      typeof child === "string" ? `${indent}  ${escapeXml(child)}` : render(child, `${indent}  `),
    )
    .join("\n");
  return `${indent}<${node.name}${attrs}>\n${inner}\n${indent}</${node.name}>`;
}

function formatValue(value: string | number): string {
  return typeof value === "number" ? String(Math.round(value * 100) / 100) : value;
}

export function escapeXml(text: string): string {
  return Array.from(text)
    .filter(allowedInXml)
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** XML 1.0 allows tab, newline, carriage return and everything from space up, except lone surrogates and U+FFFE/U+FFFF. */
function allowedInXml(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0x9 || code === 0xa || code === 0xd) return true;
  if (code < 0x20 || code === 0xfffe || code === 0xffff) return false;
  return code < 0xd800 || code > 0xdfff;
}
