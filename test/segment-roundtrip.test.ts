// Property tests: an article rebuilt from its own segments is the
// remark-normalised source, and translated segments (same tags, other
// text) put their text on the same inline nodes.
import fc from 'fast-check'
import type {Link, Nodes, Root} from 'mdast'
import {stringify as yamlStringify} from 'yaml'
import {describe, expect, it} from 'vitest'
import {
  escapeText,
  normalizeMarkdown,
  parseArticle,
  rebuild,
  rebuildArticle,
  tokenizeTagged,
  unescapeText
} from '../src/segment/index.ts'

const word = fc.constantFrom(
  'migration', 'migrants', "l'OIM", "d'accord", "aujourd'hui", 'l’ONU', 'Nations', 'Unies', 'M.', 'Mme', 'etc.', 'art.', '3',
  '1.5', '3,2', '20 000', 'A/RES/67/219', '«', '»', '{x}', '{', '}', "'", "''", 'a < b', '<', '&', 'M&D', 'p. ex.', 'c.-à-d.',
  "qu'il", '…', '%', 'OIM', 'J.', 'Dupont', 'n°', '(GCM)', '2017', ':', ';', '?', '!', 'développement', 'États', '#', '*', '_',
  '\\', '[x]', '&amp;', '&lt;', '<1>', '</2>', '<3/>', '@', 'ß', "{'}", "l'{x}'", "'<'"
)
const phrase = fc.array(word, {minLength: 1, maxLength: 5}).map((words) => words.join(' '))
const slug = fc.constantFrom('fr', 'rapport', 'a?b=c', 'x_(y)')
// Alt and title texts are units of their own (`attribute`); `"` and a final `\\` would end the title early.
const title = fc.option(phrase.map((text) => ` "${text.replace(/["\\]/g, '')}"`), {nil: ''})
const inline = fc.oneof(
  {weight: 6, arbitrary: phrase},
  phrase.map((text) => `*${text}*`),
  phrase.map((text) => `**${text}**`),
  phrase.map((text) => `~~${text}~~`),
  fc.tuple(phrase, slug).map(([text, path]) => `[${text}](https://www.iom.int/${path})`),
  fc.tuple(phrase, slug, title).map(([text, path, quoted]) => `[${text}](https://www.iom.int/${path}${quoted})`),
  fc.tuple(phrase, title).map(([alt, quoted]) => `![${alt}](photo.jpg${quoted})`),
  fc.tuple(phrase, title, slug).map(([alt, quoted, path]) => `[![${alt}](carte.png${quoted})](https://www.iom.int/${path})`),
  fc.constantFrom('`code`', '`a < {b}`', '``l`OIM``'),
  fc.constantFrom('decorte@un.org', 'ipopp@iom.int', '<https://www.iom.int>', 'www.iom.int', '![logo](logo.png)', '<span>x</span>')
)
const sentence = fc
  .tuple(fc.constantFrom('Le', 'La', "L'OIM", 'M. Dupont', '« Bonjour', 'En 2017,', 'Selon J. Dupont,'), fc.array(inline, {minLength: 1, maxLength: 4}), fc.constantFrom('.', ' ?', ' !', '…', '. »', '', ' :'))
  .map(([first, rest, end]) => `${first} ${rest.join(' ')}${end}`)
const paragraph = fc.tuple(fc.array(sentence, {minLength: 1, maxLength: 4}), fc.constantFrom(' ', '\n', '  ')).map(([sentences, gap]) => sentences.join(gap))
const cell = fc.oneof(phrase, fc.constantFrom('175', '', '*Observateur*', '12 %'))
const block = fc.oneof(
  {weight: 4, arbitrary: paragraph},
  fc.tuple(fc.integer({min: 1, max: 3}), sentence).map(([level, text]) => `${'#'.repeat(level)} ${text}`),
  fc.array(sentence, {minLength: 1, maxLength: 3}).map((items) => items.map((item) => `- ${item}`).join('\n')),
  fc.array(sentence, {minLength: 1, maxLength: 3}).map((items) => items.map((item, index) => `${index + 1}. ${item}`).join('\n')),
  fc.array(fc.tuple(cell, cell), {minLength: 1, maxLength: 3}).map((rows) => ['| A | B |', '| --- | ---: |', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n')),
  paragraph.map((text) => `> ${text.replace(/\n/g, '\n> ')}`),
  fc.constantFrom('```\nconst x = "ne pas traduire."\n```', '<div>bloc HTML.</div>', '***', '[oim]: https://www.iom.int')
)
const frontmatter = fc.option(
  fc.record({title: sentence, description: fc.option(paragraph, {nil: undefined}), date: fc.constant('2017-11-16')}, {requiredKeys: ['title']}),
  {nil: undefined}
)
const article = fc
  .tuple(frontmatter, fc.array(block, {minLength: 1, maxLength: 5}))
  .map(([data, blocks]) => `${data ? `---\n${yamlStringify(data)}---\n\n` : ''}${blocks.join('\n\n')}\n`)

// Anything at all, from characters that matter to Markdown, French and the tag syntax.
const anyMarkdown = fc.string({
  unit: fc.constantFrom('a', 'M', 'é', '.', ' ', '\n', '*', '_', '[', ']', '(', ')', '<', '>', '/', '&', ';', '{', '}', "'", "''", '«', '»', '`', '#', '-', '|', '!', '?', '…', '1', '@', '\\', ':', '~', '\u00a0', 'M. ', '. L'),
  maxLength: 120,
  size: 'medium'
})

/** Applies `change` to the text between tags of a tagged string, tags kept. */
function mapTextRuns(tagged: string, change: (text: string) => string): string {
  return tokenizeTagged(tagged)
    .map((token) => (token.type === 'text' ? escapeText(change(unescapeText(token.value))) : tagged.slice(token.start, token.end)))
    .join('')
}

/** Positions dropped, adjacent text merged, empty text removed: trees compare by content. */
function canonical(node: Nodes): unknown {
  const {position: _position, ...rest} = node as Nodes & {children?: Nodes[]}
  if (!('children' in rest) || !Array.isArray(rest.children)) return rest
  const children: Nodes[] = []
  for (const child of rest.children as Nodes[]) {
    const last = children.at(-1)
    if (child.type === 'text' && child.value === '') continue
    if (child.type === 'text' && last?.type === 'text') children[children.length - 1] = {...last, value: last.value + child.value}
    else children.push(child)
  }
  return {...rest, children: children.map(canonical)}
}

/** The source tree with `change` applied to every translatable text node (not under links that show their own URL) and alt/title. */
function changeText(node: Nodes, change: (text: string) => string): Nodes {
  if (node.type === 'text') return {...node, value: change(node.value)}
  if (node.type === 'image') return {...node, alt: node.alt && change(node.alt), title: node.title && change(node.title)}
  if (node.type === 'link' && node.title) return {...(changeText({...node, title: null}, change) as Link), title: change(node.title)}
  if (node.type === 'link' && node.children.length === 1 && node.children[0]?.type === 'text') {
    const bare = (value: string): string => value.trim().replace(/^(?:mailto:|https?:\/\/)/i, '').replace(/\/$/, '').toLowerCase()
    if (bare(node.children[0].value) === bare(node.url)) return node
  }
  if ('children' in node) return {...node, children: node.children.map((child) => changeText(child, change))} as Nodes
  return node
}

const upper = (text: string): string => text.toUpperCase()

describe('round trip', () => {
  it('rebuilding a generated article from its own segments gives the normalised source', () => {
    fc.assert(
      fc.property(article, (markdown) => {
        const parsed = parseArticle(markdown)
        expect(rebuildArticle(parsed, (segment) => segment.source)).toBe(normalizeMarkdown(markdown))
        expect(rebuildArticle(parsed, () => undefined)).toBe(normalizeMarkdown(markdown))
      }),
      {numRuns: 100}
    )
  })

  it('holds for arbitrary Markdown-ish text too', () => {
    fc.assert(
      fc.property(anyMarkdown, (markdown) => {
        expect(rebuildArticle(parseArticle(markdown), (segment) => segment.source)).toBe(normalizeMarkdown(markdown))
      }),
      {numRuns: 300}
    )
  })

  it('translated text with the same tags lands on the same nodes', () => {
    fc.assert(
      fc.property(article, (markdown) => {
        const parsed = parseArticle(markdown)
        const result = rebuild(parsed, (segment) => mapTextRuns(segment.source, upper))
        const body = (tree: Root): Root => ({...tree, children: tree.children.filter((child) => child.type !== 'yaml')})
        expect(canonical(body(result.tree))).toEqual(canonical(changeText(body(parsed.tree), upper)))
        for (const field of ['title', 'description']) {
          const value = parsed.frontmatter[field]
          if (typeof value === 'string' && value.trim() !== '') expect(result.frontmatter[field]).toBe(upper(value))
        }
      }),
      {numRuns: 100}
    )
  })

  it('a tagged target may reorder tags: each tag still brings its own node', () => {
    const parsed = parseArticle('Voir le *premier* et le [second](https://www.iom.int) lien.\n')
    const output = rebuildArticle(parsed, () => 'See the <2>second</2> and the <1>first</1> link.')
    expect(output).toBe('See the [second](https://www.iom.int) and the *first* link.\n')
  })
})
