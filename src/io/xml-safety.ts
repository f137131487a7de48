// What every XML reader of the project (XLIFF, TBX, TMX) refuses or decodes
// the same way, so that no format is weaker than another.

/** The five XML entities, for fast-xml-parser's entity option: never HTML's `&nbsp;` and friends. */
export const xmlEntities = {amp: '&', apos: "'", gt: '>', lt: '<', quot: '"'}

/**
 * Where a DOCTYPE with an internal subset starts (entity declarations that
 * could expand without limit, "billion laughs"), or undefined. `text` should
 * have comments and CDATA masked when they may contain `<!DOCTYPE`.
 */
export function internalSubsetAt(text: string): number | undefined {
  const doctype = /<!DOCTYPE\b[^>[]*(\[)?/i.exec(text)
  return doctype?.[1] ? doctype.index : undefined
}
