// `build` and `status` against their raw peers, on a generated project
// (`--articles`, default 200, translated into en and es with the pseudo
// engine). Each is run as a user runs it (bin/passerelle.js, one process) and
// so is its peer:
// · build: remark-parse → remark-rehype → rehype-stringify over the same
//   Markdown the build publishes (the French sources and dist/<lng>/*.md),
//   one HTML file written per Markdown file (bench/peers/remark-rehype.mjs);
// · status: read and JSON.parse every bundle (bench/peers/json-parse.mjs).
// Passerelle is timed from scratch (its cache and dist/ deleted), with
// nothing changed, and with one bundle changed; rounds interleave peer and
// Passerelle runs so that both see the same load. Medians of wall and CPU time.
import {execFileSync} from 'node:child_process'
import {cp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import {translateProject} from '../src/translate/run.ts'
import {generateProject, repoRoot} from './corpus.ts'
import {median, round, timeCommand} from './timing.ts'

type Timing = {seconds: number; cpuSeconds: number}

export async function benchBuildStatus(options: {articles?: number; rounds?: number} = {}) {
  const articles = options.articles ?? 200
  const rounds = options.rounds ?? 3
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'compile.mjs')])
  const corpus = await generateProject(articles)
  const peerDir = join(tmpdir(), `passerelle-bench-peer-${process.pid}`)
  try {
    await translateProject(corpus.project, {locales: ['en', 'es'], engine: createPseudoEngine()})
    const bin = join(repoRoot, 'bin', 'passerelle.js')
    const cli = (...args: string[]) => timeCommand(process.execPath, [bin, '-C', corpus.root, ...args])
    const cache = (name: string) => join(corpus.root, '.passerelle', 'cache', name)
    const dist = join(corpus.root, 'dist')

    // The Markdown the build publishes, copied aside: the peer's input.
    cli('build')
    const markdown: string[] = []
    for (const [locale, dir] of [['fr', join(corpus.root, 'content', 'fr')], ['en', join(dist, 'en')], ['es', join(dist, 'es')]] as const) {
      await cp(dir, join(peerDir, 'in', locale), {recursive: true, filter: (path) => !path.endsWith('.html') && !path.endsWith('.xml')})
      for (const name of (await readdir(join(peerDir, 'in', locale))).filter((file) => file.endsWith('.md')).sort()) markdown.push(join(peerDir, 'in', locale, name))
    }
    const peerBuild = () => timeCommand(process.execPath, [join(repoRoot, 'bench', 'peers', 'remark-rehype.mjs'), join(peerDir, 'out'), ...markdown])
    const peerStatus = () => timeCommand(process.execPath, [join(repoRoot, 'bench', 'peers', 'json-parse.mjs'), corpus.project.localesDir])

    const times: Record<string, Timing[]> = {}
    const record = (name: string, timing: Timing) => (times[name] ??= []).push(timing)
    for (let round = 0; round < rounds; round++) {
      record('peerBuild', peerBuild())
      await rm(cache('build'), {recursive: true, force: true})
      await rm(dist, {recursive: true, force: true})
      record('buildFull', cli('build'))
      record('buildUnchanged', cli('build'))
      const edited = await editBundle(corpus.project.localesDir, 'es', corpus.slugs[round % corpus.slugs.length]!, `build-${round}`)
      record('buildOneChanged', cli('build'))
      const page = await readFile(join(dist, 'es', `${edited.slug}.html`), 'utf8')
      if (!page.includes(edited.text)) throw new Error(`bench/build-status: the incremental build did not publish the edit to ${edited.slug}`)

      record('peerStatus', peerStatus())
      await rm(cache('status'), {recursive: true, force: true})
      record('statusFull', cli('status'))
      record('statusUnchanged', cli('status'))
      await editBundle(corpus.project.localesDir, 'en', corpus.slugs[(round + 1) % corpus.slugs.length]!, `status-${round}`)
      record('statusOneChanged', cli('status'))
    }

    const figure = (name: string) => ({seconds: round(median(times[name]!.map((t) => t.seconds))), cpuSeconds: round(median(times[name]!.map((t) => t.cpuSeconds)))})
    const ratio = (name: string, peer: string) => ({
      wall: round(figure(name).seconds / figure(peer).seconds, 3),
      cpu: round(figure(name).cpuSeconds / figure(peer).cpuSeconds, 3)
    })
    return {
      articles,
      locales: ['en', 'es'],
      engine: 'pseudo',
      rounds,
      loadAverage: round(loadavg()[0]!, 2),
      peerMarkdownFiles: markdown.length,
      build: {
        peer: figure('peerBuild'),
        full: figure('buildFull'),
        unchanged: figure('buildUnchanged'),
        oneBundleChanged: figure('buildOneChanged'),
        ratioFull: ratio('buildFull', 'peerBuild'),
        ratioUnchanged: ratio('buildUnchanged', 'peerBuild'),
        ratioOneChanged: ratio('buildOneChanged', 'peerBuild'),
        target: 'ratio ≤ 1.3'
      },
      status: {
        peer: figure('peerStatus'),
        full: figure('statusFull'),
        unchanged: figure('statusUnchanged'),
        oneBundleChanged: figure('statusOneChanged'),
        ratioFull: ratio('statusFull', 'peerStatus'),
        ratioUnchanged: ratio('statusUnchanged', 'peerStatus'),
        ratioOneChanged: ratio('statusOneChanged', 'peerStatus'),
        target: 'ratio ≤ 2'
      }
    }
  } finally {
    await rm(peerDir, {recursive: true, force: true})
    await corpus.cleanup()
  }
}

/** A reviewer's edit: the first translated body segment of one bundle gets `mark` appended to its target. */
async function editBundle(localesDir: string, locale: string, slug: string, mark: string): Promise<{slug: string; text: string}> {
  const file = join(localesDir, locale, `${slug}.json`)
  const bundle = JSON.parse(await readFile(file, 'utf8')) as {segments: {kind: string; target?: string; revision: number}[]}
  const segment = bundle.segments.find((item) => item.kind === 'paragraph' && item.target !== undefined && !/[<&]/.test(item.target))
  if (!segment) throw new Error(`bench/build-status: no paragraph to edit in ${file}`)
  segment.target = `${segment.target} ${mark}`
  segment.revision++
  await writeFile(file, JSON.stringify(bundle, null, 2) + '\n')
  return {slug, text: mark}
}
