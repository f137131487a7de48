// The CommonMark 0.31.2 spec's 655 examples (../shared/conformance/markdown):
// each one segments and rebuilds to its remark-normalised self, and the link
// definitions' titles and reference images' alt texts are offered for
// translation and come back translated, still resolving to their definition.
// Skips, saying so, when ../shared is absent.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Definition, ImageReference, Nodes, Root} from 'mdast'
import {describe, expect, it} from 'vitest'
import {normalizeMarkdown, parseArticle, parseMarkdown, rebuildArticle, unescapeText} from '../src/segment/index.ts'
import {isPasserelleError} from '../src/errors.ts'
import {conformanceDir, haveSuite} from './helpers/conformance.ts'

const fence = '`'.repeat(32)
const present = haveSuite('markdown')
const examples: {number: number; markdown: string}[] = []
if (present) {
  const spec = readFileSync(join(conformanceDir, 'markdown', 'commonmark-spec-0.31.2.txt'), 'utf8')
  const pattern = new RegExp(`^${fence} example\\n([\\s\\S]*?)^\\.\\n[\\s\\S]*?^${fence}$`, 'gm')
  for (const match of spec.matchAll(pattern)) examples.push({number: examples.length + 1, markdown: match[1]!.replace(/→/g, '\t')})
}

function nodes(tree: Root): Nodes[] {
  const out: Nodes[] = []
  const walk = (node: Nodes): void => {
    out.push(node)
    if ('children' in node) for (const child of node.children) walk(child)
  }
  walk(tree)
  return out
}
const titled = (tree: Root) => nodes(tree).filter((node): node is Definition => node.type === 'definition' && (node.title ?? '').trim() !== '')
const images = (tree: Root) => nodes(tree).filter((node): node is ImageReference => node.type === 'imageReference' && (node.alt ?? '').trim() !== '')

describe.skipIf(!present)('CommonMark 0.31.2 spec examples', () => {
  it('has the 655 examples the README counts', () => {
    expect(examples).toHaveLength(655)
    console.log(`conformance/markdown: ${examples.length} CommonMark examples`)
  })

  // Passerelle's dialect reads a leading `---` block as front matter: those examples must be a mapping or are refused (E_FRONTMATTER).
  const frontmatter = examples.filter(({markdown}) => /^---\n/.test(markdown))

  it('every example segments and rebuilds to its normalised self (a leading --- block is front matter)', () => {
    const failed: number[] = []
    let refused = 0
    for (const {number, markdown} of examples) {
      let article
      try {
        article = parseArticle(markdown)
      } catch (error) {
        if (frontmatter.some((example) => example.number === number) && isPasserelleError(error, 'E_FRONTMATTER')) {
          refused++
          continue
        }
        throw error
      }
      if (rebuildArticle(article, () => undefined) !== normalizeMarkdown(markdown)) failed.push(number)
    }
    expect(failed).toEqual([])
    console.log(`conformance/markdown: ${examples.length - refused - failed.length}/${examples.length} round trip, ${refused} refused as front matter that is not a mapping`)
  })

  // The issue counted 33 examples with link-definition titles and 12 with reference-image alt text.
  const withTitles = examples.filter(({markdown}) => titled(parseMarkdown(markdown)).length > 0)
  const withImages = examples.filter(({markdown}) => images(parseMarkdown(markdown)).length > 0)

  it('finds the examples with definition titles and reference-image alt text', () => {
    console.log(`conformance/markdown: ${withTitles.length} examples with link-definition titles, ${withImages.length} with reference-image alt text`)
    expect(withTitles.length).toBe(34)
    expect(withImages.length).toBe(12)
  })

  it.each([...new Set([...withTitles, ...withImages])].map((example) => [example.number, example.markdown] as const))(
    'example %i: titles and alt texts are offered for translation and rebuilt',
    (_number, markdown) => {
      const article = parseArticle(markdown)
      const tree = parseMarkdown(markdown)
      const offered = article.segments.filter((segment) => segment.kind === 'attribute').map((segment) => unescapeText(segment.source))
      const wanted = [...titled(tree).map((node) => node.title!), ...images(tree).map((node) => node.alt!)]
      // Every title and alt is offered (a long one may be cut into sentences).
      for (const text of wanted) expect(offered.some((piece) => text.includes(piece.trim()))).toBe(true)

      const rebuilt = parseMarkdown(rebuildArticle(article, (segment) => (segment.kind === 'attribute' ? `EN ${segment.source}` : undefined)))
      const definitions = nodes(rebuilt).filter((node): node is Definition => node.type === 'definition')
      for (const node of titled(rebuilt)) expect(node.title!.trim().startsWith('EN ')).toBe(true)
      expect(titled(rebuilt)).toHaveLength(titled(tree).length)
      const after = images(rebuilt)
      expect(after).toHaveLength(images(tree).length)
      for (const node of after) {
        expect(node.alt!.trim().startsWith('EN ')).toBe(true)
        // Still a reference to a definition of the document.
        expect(definitions.some((definition) => definition.identifier === node.identifier)).toBe(true)
      }
    }
  )
})
