import type {Root} from 'mdast'
import rehypeStringify from 'rehype-stringify'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {isPasserelleError} from '../src/errors.ts'
import {handlers, parseArticle, rebuild, rebuildArticle, rebuildTree, renderTagged} from '../src/segment/index.ts'
import type {Handler} from '../src/segment/index.ts'

const source = `# Le *Pacte* mondial

M. Dupont a présenté le [rapport](https://www.iom.int/rapport). Contact : <decorte@un.org>

Une phrase qui sera mal traduite.
`

describe('rebuildArticle', () => {
  const article = parseArticle(source)
  const bySource = (table: Record<string, string>) => (segment: {source: string}) => table[segment.source]

  it('substitutes translated sentences, keeping the untranslated ones and the spaces between', () => {
    expect(
      rebuildArticle(article, bySource({'M. Dupont a présenté le <1>rapport</1>.': 'Mr Dupont presented the <1>report</1>.'}))
    ).toBe(source.replace('M. Dupont a présenté le [rapport]', 'Mr Dupont presented the [report]'))
  })

  it('throws E_INPUT for a malformed target unless onInvalid is given, then keeps the source', () => {
    const broken = bySource({'Une phrase qui sera mal traduite.': 'A <1>broken</2> sentence.'})
    let code: string | undefined
    try {
      rebuildArticle(article, broken)
    } catch (error) {
      code = isPasserelleError(error) ? error.code : 'other'
    }
    expect(code).toBe('E_INPUT')
    const refused: string[] = []
    expect(rebuildArticle(article, broken, {onInvalid: (segment, error) => refused.push(`${segment.source} ${error.code}`)})).toBe(source)
    expect(refused).toEqual(['Une phrase qui sera mal traduite. E_INPUT'])
  })

  it('leaves article.tree untouched and gives a tree remark-rehype can turn into HTML', () => {
    const before = structuredClone(article.tree)
    const tree = rebuildTree(article, bySource({'Le <1>Pacte</1> mondial': 'The Global <1>Compact</1>'}))
    expect(article.tree).toEqual(before)
    const html = unified().use(remarkRehype).use(rehypeStringify).stringify(unified().use(remarkRehype).runSync(tree) as never)
    expect(html).toContain('<h1>The Global <em>Compact</em></h1>')
    expect(html).toContain('<a href="mailto:decorte@un.org">decorte@un.org</a>')
  })

  it('gives markdown, tree and front matter in one pass', () => {
    const result = rebuild(article, () => undefined)
    expect(result.markdown).toBe(source)
    expect((result.tree as Root).type).toBe('root')
    expect(result.frontmatter).toEqual({})
  })

  it('renders a segment on its own with the article tag nodes (what the build does per segment)', () => {
    const segment = article.segments.find((item) => item.source.includes('rapport'))!
    const nodes = renderTagged('Le <1>report</1>.', article.tagNodes.get(segment.id)!)
    expect(nodes[1]).toMatchObject({type: 'link', url: 'https://www.iom.int/rapport', children: [{type: 'text', value: 'report'}]})
  })

  it('lets options override handlers (here: inline code becomes translatable text)', () => {
    const inlineCodeAsText: Handler = () => ({kind: 'text'})
    const custom = parseArticle('Lancez `la commande` maintenant.\n', {handlers: {...handlers, inlineCode: inlineCodeAsText}})
    expect(custom.segments.map((segment) => segment.source)).toEqual(['Lancez la commande maintenant.'])
  })
})
