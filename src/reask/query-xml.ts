/**
 * The XML that AWS's Query APIs answer with, read into elements. Enough for those answers and
 * nothing more: elements, text and the five entities plus numeric references; the declaration,
 * attributes (only `xmlns` there) and comments are skipped. Anything else is an error.
 */
export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    const known = ENTITIES[entity];
    if (known === undefined) throw new Error(`unknown XML entity ${whole}`);
    return known;
  });
}

export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "", children: [], text: "" };
  const open: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)([^>]*?)(\/?)>|<\?[^>]*\?>|<!--[\s\S]*?-->/g;
  let last = 0;
  for (let match = tag.exec(xml); match !== null; match = tag.exec(xml)) {
    open.at(-1)!.text += decode(xml.slice(last, match.index));
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = match;
    if (name === undefined) continue; // declaration or comment
    if (closing) {
      const current = open.pop();
      if (current?.name !== name) throw new Error(`XML: </${name}> closes <${current?.name ?? "nothing"}>`);
    } else {
      const element: XmlElement = { name, children: [], text: "" };
      open.at(-1)!.children.push(element);
      if (!selfClosing) open.push(element);
    }
  }
  if (open.length !== 1) throw new Error(`XML: <${open.at(-1)!.name}> is never closed`);
  const [document] = root.children;
  if (!document || root.children.length !== 1) throw new Error("XML: expected one document element");
  return document;
}

/** The first child of this name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((item) => item.name === name);
}

/** A child's text, or undefined when it is absent. */
export function textOf(element: XmlElement | undefined, name: string): string | undefined {
  return child(element, name)?.text;
}

/** The `<member>` entries of a Query API list. */
export function members(element: XmlElement | undefined, name: string): XmlElement[] {
  return child(element, name)?.children.filter((item) => item.name === "member") ?? [];
}
