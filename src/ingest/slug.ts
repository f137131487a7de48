// File names from titles: lowercase ASCII, accents folded, words joined by
// hyphens, cut at a word boundary. The same title always gives the same slug,
// so re-ingesting a page targets the same file.

export const maxSlugLength = 60

// Letters that Unicode decomposition does not fold to ASCII.
const foldings: Record<string, string> = {
  œ: 'oe',
  Œ: 'OE',
  æ: 'ae',
  Æ: 'AE',
  ß: 'ss',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'TH'
}

export function slugify(title: string, maxLength = maxSlugLength): string {
  const ascii = title
    .replace(/[œŒæÆßøØđĐłŁþÞ]/gu, (letter) => foldings[letter] ?? letter)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
  return cutAtWord(ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, ''), maxLength)
}

function cutAtWord(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) return slug
  // A hyphen at `maxLength` means the first `maxLength` characters are whole words.
  const boundary = slug.lastIndexOf('-', maxLength)
  return boundary > 0 ? slug.slice(0, boundary) : slug.slice(0, maxLength)
}

/** `slug`, or `slug-2`, `slug-3`… — the first not in `taken`, within the length limit. */
export function uniqueSlug(slug: string, taken: ReadonlySet<string>): string {
  if (!taken.has(slug)) return slug
  for (let counter = 2; ; counter++) {
    const suffix = `-${counter}`
    const candidate = `${cutAtWord(slug, maxSlugLength - suffix.length)}${suffix}`
    if (!taken.has(candidate)) return candidate
  }
}

/**
 * The one slug rule every stage applies (ingest makes such slugs; `translate`,
 * the review app and the XLIFF export refuse others): lower-case ASCII
 * letters and digits joined by single hyphens, or the site block `_site`.
 */
export function isSlug(slug: string): boolean {
  return slug.length <= 120 && /^(?:_site|[a-z0-9]+(?:-[a-z0-9]+)*)$/.test(slug)
}
