import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {parseBundle, serializeBundle} from '../src/workflow/store.ts'
import {buildProject} from '../src/publish/run.ts'
import {translateProject} from '../src/translate/run.ts'
import {faultEngine} from './helpers/fault-engine.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

const article = `---
title: La migration et les villes
source: 000.txt
date: 2017-11-16
---

L'OIM soutient les villes. Voir [le site](https://www.iom.int) et **le rapport**.

Contact : decorte@un.org.
`

const site = `---
title: Navigation du site
---

- Qui sommes nous
- Notre travail
`

let temp: TempProject
afterEach(() => temp?.cleanup())

const read = (path: string) => readFile(join(temp.root, path), 'utf8')

describe('build', () => {
  it('writes Markdown, HTML with lang and hreflang, an index per locale and i18next bundles', async () => {
    temp = await tempProject({'content/fr/villes.md': article, 'content/fr/_site.md': site})
    await translateProject(temp.project, {locales: ['en', 'es'], engine: faultEngine()})
    const report = await buildProject(temp.project, {locales: ['en', 'es'], strict: false, minState: 'machine'})
    expect(report.failures).toEqual([])

    const md = await read('dist/en/villes.md')
    expect(md).toMatch(/^---\n/)
    expect(md).toContain('lang: en')
    expect(md).toContain('](https://www.iom.int)')
    expect(md).toContain('decorte@un.org')

    const html = await read('dist/en/villes.html')
    expect(html).toContain('<html lang="en" dir="ltr">')
    expect(html).toContain('<link rel="alternate" hreflang="fr" href="../fr/villes.html">')
    expect(html).toContain('<link rel="alternate" hreflang="es" href="../es/villes.html">')
    expect(html).toContain('<link rel="alternate" hreflang="x-default" href="../fr/villes.html">')
    expect(html).toContain('<time datetime="2017-11-16">November 16, 2017</time>')
    expect(html).toMatch(/<a href="https:\/\/www\.iom\.int">[^<]+<\/a>/)
    expect(html).toMatch(/<strong>[^<]+<\/strong>/)
    expect(html).toContain('<nav>')
    expect(await read('dist/es/villes.html')).toContain('<time datetime="2017-11-16">16 de noviembre de 2017</time>')
    expect(await read('dist/fr/villes.html')).toContain('16 novembre 2017')

    const index = await read('dist/en/index.html')
    expect(index).toContain('href="villes.html"')
    expect(index).not.toContain('_site')

    const runtime = JSON.parse(await read('dist/i18n/en/villes.json')) as Record<string, string>
    const bundle = parseBundle(await read('locales/en/villes.json'), 'en')
    expect(Object.keys(runtime).sort()).toEqual(bundle.segments.map((segment) => segment.id).sort())
    expect(Object.values(runtime)).toContain(bundle.segments[0]!.target)
  })

  it('falls back to French for unpublishable segments, and --strict fails that article only', async () => {
    temp = await tempProject({'content/fr/villes.md': article, 'content/fr/autre.md': '---\ntitle: Autre\n---\n\nUne phrase.\n'})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const path = 'locales/en/villes.json'
    const bundle = parseBundle(await read(path), path)
    const dropped = bundle.segments.find((segment) => segment.source.startsWith('Contact'))!
    delete dropped.target
    dropped.state = 'new'
    await temp.write(path, serializeBundle(bundle))

    const lenient = await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    expect(lenient.failures).toEqual([])
    expect(await read('dist/en/villes.md')).toContain('Contact : <decorte@un.org>.')

    const strict = await buildProject(temp.project, {locales: ['en'], strict: true, minState: 'machine'})
    expect(strict.failures.map((failure) => failure.code)).toEqual(['E_MISSING'])
    expect(strict.failures[0]!.message).toMatch(/content\/fr\/villes\.md/)
  })

  it('publishes only segments at or above --min-state', async () => {
    temp = await tempProject({'content/fr/villes.md': article})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'approved'})
    const md = await read('dist/en/villes.md')
    expect(md).toContain("L'OIM soutient les villes.")
  })

  it('renders markup from sources and translations inert', async () => {
    temp = await tempProject({'content/fr/x.md': '---\ntitle: "<script>alert(1)</script>"\n---\n\nTexte <img src=x onerror=alert(1)> ici.\n'})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    const html = await read('dist/en/x.html')
    expect(html).not.toMatch(/<script|<\/script|<img/)
    // The title still shows the characters, escaped.
    expect(html).toMatch(/<title>[^<]*&#60;s[^<]*&#62;/)
  })

  it('does not publish a target whose tags differ from the source, and --strict fails on it', async () => {
    temp = await tempProject({'content/fr/villes.md': article})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const path = 'locales/en/villes.json'
    const bundle = parseBundle(await read(path), path)
    const linked = bundle.segments.find((segment) => segment.source.includes('<1>'))!
    linked.target = 'See the site and the report.'
    await temp.write(path, serializeBundle(bundle))

    const lenient = await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    expect(lenient.failures).toEqual([])
    expect(await read('dist/en/villes.md')).toContain('[le site](https://www.iom.int)')
    expect(await read('dist/en/villes.md')).not.toContain('See the site and the report.')
    const strict = await buildProject(temp.project, {locales: ['en'], strict: true, minState: 'machine'})
    expect(strict.failures.map((failure) => failure.code)).toEqual(['E_MISSING'])
  })

  it('still builds every page when the site navigation fails under --strict', async () => {
    temp = await tempProject({'content/fr/villes.md': article, 'content/fr/_site.md': site})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const path = 'locales/en/_site.json'
    const bundle = parseBundle(await read(path), path)
    delete bundle.segments[0]!.target
    bundle.segments[0]!.state = 'new'
    await temp.write(path, serializeBundle(bundle))
    const report = await buildProject(temp.project, {locales: ['en'], strict: true, minState: 'machine'})
    expect(report.failures.map((failure) => [failure.code, failure.file])).toContainEqual(['E_MISSING', 'content/fr/_site.md'])
    expect(await read('dist/en/villes.html')).toContain('<html lang="en"')
    expect(await read('dist/report.json')).toContain('"locale": "en"')
  })

  it('rewrites nothing when nothing changed', async () => {
    temp = await tempProject({'content/fr/villes.md': article})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    const again = await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    expect(again.written).toEqual([])
    expect(again.summary.at(-1)).toMatch(/^wrote 0 files under dist\/ \(\d+ already up to date\)$/)
  })
})
