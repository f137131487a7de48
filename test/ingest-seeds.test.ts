// The five real seeds (OIM pages scraped to text): one shared navigation
// block, five articles, dates only where the page states one.
import {copyFile, readdir, readFile, writeFile} from 'node:fs/promises'
import {basename, join} from 'node:path'
import type {List, Root, RootContent} from 'mdast'
import {beforeAll, describe, expect, it} from 'vitest'
import {blockTexts, ingestFiles, ingestPages, type IngestResult, type Page} from '../src/ingest/index.ts'
import {dialogueTitle, parsedTree, seedNames, seedPaths, seedsDir, temporaryFolder} from './ingest-helpers.ts'
import {needsShared} from './helpers/shared.ts'

const hasSeeds = needsShared('seeds', 'ingest of the five real seeds (test/ingest-seeds.test.ts)')

const contentFr = join(import.meta.dirname, '..', 'content', 'fr')

/** Expected title, first body paragraph (its start), date and slug per seed. */
const expected = {
  '000_f4297a870d5e4fd2.txt': {
    slug: 'le-gouvernement-belge-et-la-ville-de-malines-organisent-une',
    title: 'Le gouvernement belge et la ville de Malines organisent une Conférence mondiale sur le thème « villes et migration »',
    lead: 'Belgique - Le gouvernement belge et la ville de Malines organiseront une « Conférence mondiale',
    date: '2017-11-16' // `les 16 et 17 novembre 2017` in the dateline lead: the first day
  },
  '001_1f70ac61dc45ac0b.txt': {
    slug: 'l-oim-et-les-partenaires-gouvernementaux-debattent-des',
    title: 'L’OIM et les partenaires gouvernementaux débattent des bonnes pratiques de gouvernance en matière de migrations',
    lead: 'Suisse - Le 20 juin 2017, l’OIM et les gouvernements de l’Australie',
    date: '2017-06-20'
  },
  '002_fae19b2a450f9e80.txt': {
    slug: 'les-personnes-en-deplacement-font-partie-de-la-solution',
    title: 'Les personnes en déplacement font partie de la solution.',
    lead: 'En cette période unique où nous sommes confrontés à une convergence de crises',
    date: undefined // no date stated
  },
  '003_d574b86eb03e76ad.txt': {
    slug: 'les-autorites-locales-a-turin-sont-formees-a-la-gouvernance',
    title: 'Les autorités locales à Turin sont formées à la gouvernance des migrations',
    lead: 'Turin - Le Centre international de formation (CIT) de l’OIT et l’OIM organisent',
    date: undefined // `(20-24/11)` and `du 30 octobre au 3 novembre` have no year
  },
  '004_f92822551191ed11.txt': {
    slug: 'dialogue-de-haut-niveau-des-nations-unies-sur-les-migrations',
    title: dialogueTitle,
    lead: 'Date d’établissement : 2006',
    date: undefined // `23 décembre 2003` is a resolution's date in a lead without dateline
  }
} as const

async function seedPages(): Promise<{name: string; text: string}[]> {
  return Promise.all(seedNames.map(async (name) => ({name, text: await readFile(join(seedsDir, name), 'utf8')})))
}

function textOf(node: RootContent | Root): string {
  if ('value' in node && node.type !== 'yaml') return node.value
  return 'children' in node ? node.children.map((child) => textOf(child)).join('') : ''
}

function listAfterHeading(tree: Root, heading: string): List {
  const index = tree.children.findIndex((node) => node.type === 'heading' && textOf(node) === heading)
  const list = tree.children[index + 1]
  if (index === -1 || list?.type !== 'list') throw new Error(`no list after heading ${heading}`)
  return list
}

describe.runIf(hasSeeds)('ingestPages on the seeds', () => {
  let result: IngestResult
  let bySource: Map<string, Page>
  beforeAll(async () => {
    // Seed 004 lost its title line: a person supplies it as front matter.
    const pages = (await seedPages()).map((page) =>
      page.name.startsWith('004') ? {...page, text: `---\ntitle: ${dialogueTitle}\n---\n${page.text}`} : page
    )
    result = ingestPages(pages)
    bySource = new Map(result.articles.map((page) => [page.frontmatter.source ?? '', page]))
  })

  it('gives five articles and one site page, and no failure', () => {
    expect(result.failed).toEqual([])
    expect(result.articles.map((page) => page.slug)).toEqual(Object.values(expected).map((seed) => seed.slug))
    expect(result.site?.slug).toBe('_site')
    expect(result.site?.frontmatter).toEqual({title: 'Navigation du site'})
  })

  for (const [source, seed] of Object.entries(expected)) {
    it(`${source}: title, source, date and first paragraph`, () => {
      const page = bySource.get(source)
      expect(page?.frontmatter).toEqual(seed.date ? {title: seed.title, source, date: seed.date} : {title: seed.title, source})
      const first = page?.tree.children.find((node) => node.type !== 'yaml')
      expect(first?.type).toBe('paragraph')
      expect(textOf(first!).startsWith(seed.lead), textOf(first!)).toBe(true)
    })
  }

  it('keeps the navigation block once, in the site page only', () => {
    const menuLine = 'Directrice générale adjointe chargée des opérations'
    const teaser = 'En tant que principale organisation intergouvernementale qui promeut depuis 1951'
    expect(result.site?.markdown).toContain(`- ${menuLine}\n`)
    expect(result.site?.markdown).toContain(`\n${teaser}`)
    for (const page of result.articles) {
      expect(page.markdown).not.toContain(menuLine)
      expect(page.markdown).not.toContain('Qui sommes nous')
      expect(page.markdown).not.toContain('2030 AGENDA')
    }
  })

  it('cleans the menu: doubled labels once, teasers split from their labels, no lone dashes', () => {
    const markdown = result.site?.markdown ?? ''
    expect(markdown.match(/Structure\n/g)).toHaveLength(1)
    expect(markdown).toContain('## Qui sommes nous\n\nL\'Organisation internationale pour les migrations (OIM) fait partie')
    expect(markdown).not.toMatch(/^-$/m)
    expect(markdown).not.toContain('nousL')
  })

  it('makes the 195 countries and the key documents proper lists', () => {
    const tree = bySource.get('004_f92822551191ed11.txt')!.tree
    const countries = listAfterHeading(tree, 'États participants (195 États)').children.map((item) => textOf(item))
    expect(countries).toHaveLength(195)
    expect(countries.slice(0, 2)).toEqual(['Afghanistan', 'Albania'])
    expect(countries.at(-1)).toBe('Zimbabwe')
    const documents = listAfterHeading(tree, 'Principaux documents').children.map((item) => textOf(item))
    expect(documents.filter((text) => text.startsWith('A/RES/'))).toHaveLength(7)
    const markdown = bySource.get('004_f92822551191ed11.txt')!.markdown
    expect(markdown).toContain('\n- A/RES/67/219 Résolution de l’Assemblée générale des Nations Unies : Migrations internationales et développement\n')
    expect(markdown).toContain('\n- Afghanistan\n- Albania\n')
  })

  it('finds headings where the pages have them', () => {
    const headings = (source: string): string[] =>
      bySource.get(source)!.tree.children.filter((node) => node.type === 'heading').map((node) => `${node.depth} ${textOf(node)}`)
    expect(headings('002_fae19b2a450f9e80.txt')).toEqual([
      '2 Rapport phare sur les ODD de l\'OIM',
      '3 Exploiter la mobilité humaine pour sauvegarder l’agenda 2030'
    ])
    expect(headings('004_f92822551191ed11.txt')).toEqual(
      [
        'Objectifs',
        'Axes stratégiques actuels',
        'États participants (195 États)',
        'Observateurs',
        'Partenaires',
        'Secrétariat',
        'Réunion récente',
        'Principaux documents',
        'Coordonnées'
      ].map((text) => `2 ${text}`)
    )
    for (const source of ['000_f4297a870d5e4fd2.txt', '001_1f70ac61dc45ac0b.txt', '003_d574b86eb03e76ad.txt']) expect(headings(source)).toEqual([])
  })

  it('keeps e-mail addresses intact, as links', () => {
    const links = result.articles.flatMap((page) => JSON.stringify(page.tree).match(/mailto:[^"]+/g) ?? [])
    expect(links).toEqual([
      'mailto:decorte@un.org',
      'mailto:ipopp@iom.int',
      'mailto:ngiordano@iom.int',
      'mailto:mbusatti@iom.int',
      'mailto:jgalindo@iom.int',
      'mailto:migrationp@un.org'
    ])
    expect(bySource.get('000_f4297a870d5e4fd2.txt')!.markdown).toContain('personnes référentes : <decorte@un.org> ou <ipopp@iom.int>\n')
  })

  it('loses no text: the blocks hold every line after the menu, in order', async () => {
    const navigationLines = 29 // from the leading `-` to `- 2030 AGENDA`
    for (const page of await seedPages()) {
      const lines = page.text.split('\n').map((line) => line.trim()).filter((line) => line !== '').slice(navigationLines)
      const article = bySource.get(page.name)!
      const expectedTexts = lines
        .filter((line) => line !== '-' && line !== article.frontmatter.title)
        .map((line) => (line.startsWith('- ') ? line.slice(2) : line))
      expect(blockTexts(article.tree), page.name).toEqual(expectedTexts)
    }
  })

  it('writes Markdown that parses back to the trees it was built from', () => {
    for (const page of [result.site!, ...result.articles]) expect(parsedTree(page.markdown), page.slug).toEqual(page.tree)
  })
})

describe.runIf(hasSeeds)('ingestFiles on the seeds', () => {
  it('writes four articles and _site.md, and reports the page without a title line', async () => {
    const contentDir = await temporaryFolder()
    const result = await ingestFiles(seedPaths, {contentDir})
    expect(result.written.map((path) => basename(path))).toEqual([
      '_site.md',
      ...Object.values(expected).slice(0, 4).map((seed) => `${seed.slug}.md`)
    ])
    expect(result.failed).toHaveLength(1)
    expect(result.failed[0]?.file).toBe(seedPaths[4])
    expect(result.failed[0]?.error.code).toBe('E_INPUT')
    expect(result.failed[0]?.error.toLine()).toMatch(/^\S+\/004_f92822551191ed11\.txt: no title line.*\(E_INPUT\) — .*front matter/)
  })

  it('takes a supplied title once, then keeps it when the raw seed is ingested again (idempotent)', async () => {
    const contentDir = await temporaryFolder()
    const inputs = await temporaryFolder()
    const titled = join(inputs, seedNames[4])
    await writeFile(titled, `---\ntitle: ${dialogueTitle}\n---\n${await readFile(seedPaths[4]!, 'utf8')}`)
    const first = await ingestFiles([...seedPaths.slice(0, 4), titled], {contentDir})
    expect(first.failed).toEqual([])
    expect(first.written).toHaveLength(6)
    const snapshot = await Promise.all(first.written.map((path) => readFile(path, 'utf8')))

    const again = await ingestFiles(seedPaths, {contentDir})
    expect(again.failed.map((failure) => failure.error.toLine())).toEqual([])
    expect(again.written).toEqual([])
    expect(again.unchanged).toEqual(first.written)
    expect(await Promise.all(first.written.map((path) => readFile(path, 'utf8')))).toEqual(snapshot)
  })

  it('matches the committed content/fr byte for byte', async () => {
    const committed = (await readdir(contentFr)).filter((file) => file.endsWith('.md')).sort()
    expect(committed).toEqual(['_site.md', ...Object.values(expected).map((seed) => `${seed.slug}.md`)].sort())
    const contentDir = await temporaryFolder()
    for (const file of committed) await copyFile(join(contentFr, file), join(contentDir, file))
    const result = await ingestFiles(seedPaths, {contentDir})
    expect(result.failed.map((failure) => failure.error.toLine())).toEqual([])
    expect(result.written).toEqual([])
    expect(result.unchanged.map((path) => basename(path)).sort()).toEqual(committed)
  })

  it('strips the navigation known from _site.md when one seed is ingested alone', async () => {
    const contentDir = await temporaryFolder()
    await ingestFiles(seedPaths.slice(0, 2), {contentDir})
    const alone = await ingestFiles([seedPaths[2]!], {contentDir})
    expect(alone.failed).toEqual([])
    expect(alone.written.map((path) => basename(path))).toEqual([`${expected['002_fae19b2a450f9e80.txt'].slug}.md`])
    const markdown = await readFile(alone.written[0]!, 'utf8')
    expect(markdown).not.toContain('Qui sommes nous')
    expect(markdown).toContain('\n\nEn cette période unique où nous sommes confrontés')
    // Without _site.md the single page keeps its menu: nothing shows it is one.
    const bare = ingestPages((await seedPages()).slice(2, 3))
    expect(bare.site).toBeUndefined()
    expect(bare.articles[0]?.frontmatter.title).toBe('Qui sommes nous')
    expect(bare.articles[0]?.markdown).toContain('- Structure organisationnelle')
  })
})
