// `npx tsx bench/review-save.ts [saves]`: p50/p95 of a segment save in the
// review app (PUT through `app.request`, the whole write path: locks, bundle
// write, history append, translation-memory update) on a generated project of
// 200 articles × 2 locales made from the repository's own bundles, and of the
// suggestion lookup that follows a save (the memory must not be rebuilt).
// Writes bench/review-save.json. Targets live here, not in unit tests.
import {cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import type {Bundle} from '../src/workflow/types.ts'
import {loadProject} from '../src/config.ts'
import {createReviewApp} from '../src/review/index.ts'
import {TmCache} from '../src/review/suggestions.ts'

const root = new URL('..', import.meta.url).pathname
const articles = 200
const saves = Number(process.argv[2] ?? 200)
const secret = 'ab'.repeat(16)

const dir = await mkdtemp(join(tmpdir(), 'passerelle-bench-review-'))
try {
  await cp(join(root, 'glossary'), join(dir, 'glossary'), {recursive: true})
  await writeFile(join(dir, 'passerelle.json'), JSON.stringify({locales: ['en', 'es']}))
  const ids: {locale: string; slug: string; id: string}[] = []
  for (const locale of ['en', 'es']) {
    const sources = (await readdir(join(root, 'locales', locale))).filter((name) => name.endsWith('.json') && !name.startsWith('_'))
    const bundles = await Promise.all(sources.map(async (name) => JSON.parse(await readFile(join(root, 'locales', locale, name), 'utf8')) as Bundle))
    for (let n = 0; n < articles; n++) {
      const base = bundles[n % bundles.length]!
      const slug = `article-${String(n).padStart(3, '0')}`
      // Vary the text per copy so that every article adds its own memory units.
      const bundle: Bundle = {...base, article: slug, segments: base.segments.map((segment) => ({...segment, source: segment.source.replace(/\d{4}/g, (year) => String(Number(year) + n)), target: segment.target?.replace(/\d{4}/g, (year) => String(Number(year) + n))}))}
      await mkdir(join(dir, 'locales', locale), {recursive: true})
      await writeFile(join(dir, 'locales', locale, `${slug}.json`), JSON.stringify(bundle, null, 2) + '\n')
      for (const segment of bundle.segments.filter((item) => item.target)) ids.push({locale, slug, id: segment.id})
    }
  }
  const project = await loadProject(dir)
  const tm = new TmCache(project)
  let clock = 0
  const app = createReviewApp(project, {csrfSecret: secret, reviewer: 'Bench', tm, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString()})
  const headers = {'content-type': 'application/json', 'x-passerelle-csrf': secret}
  const get = async (path: string) => (await app.request(path)).json() as Promise<{segments?: Bundle['segments']; suggestions?: unknown[]}>

  // Warm up: the first lookup loads the whole memory once.
  const warm = performance.now()
  await get(`/api/articles/${ids[0]!.locale}/${ids[0]!.slug}/segments/${ids[0]!.id}/suggestions`)
  const loadMs = performance.now() - warm
  const rebuildsBefore = tm.rebuilds

  const saveTimes: number[] = []
  const lookupTimes: number[] = []
  const peerTimes: number[] = []
  for (let n = 0; n < saves; n++) {
    const pick = ids[(n * 7919) % ids.length]!
    const bundle = JSON.parse(await readFile(join(dir, 'locales', pick.locale, `${pick.slug}.json`), 'utf8')) as Bundle
    const segment = bundle.segments.find((item) => item.id === pick.id)!
    const start = performance.now()
    const response = await app.request(`/api/articles/${pick.locale}/${pick.slug}/segments/${pick.id}`, {method: 'PUT', headers, body: JSON.stringify({revision: segment.revision, target: `${segment.target} (${n})`})})
    saveTimes.push(performance.now() - start)
    if (response.status !== 200 && response.status !== 422) throw new Error(`save ${n}: HTTP ${response.status} ${await response.text()}`)
    // The peer, interleaved so that both see the same load: what any save must do at least (read, parse, change, serialise, atomic write) with no locks, checks, history or memory.
    const peerStart = performance.now()
    const file = join(dir, 'locales', pick.locale, `${pick.slug}.json`)
    const raw = JSON.parse(await readFile(file, 'utf8')) as Bundle
    const peerSegment = raw.segments.find((item) => item.id === pick.id)!
    peerSegment.updated = new Date().toISOString()
    await writeFile(`${file}.peer.tmp`, JSON.stringify(raw, null, 2) + '\n')
    await rename(`${file}.peer.tmp`, `${file}.peer`)
    peerTimes.push(performance.now() - peerStart)
    const lookup = performance.now()
    await get(`/api/articles/${pick.locale}/${pick.slug}/segments/${pick.id}/suggestions`)
    lookupTimes.push(performance.now() - lookup)
  }
  const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!
  const results = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    project: {articles, locales: 2, segmentsWithTargets: ids.length, memoryUnits: (await tm.memory())?.size ?? 0},
    memoryLoadMs: Math.round(loadMs),
    saves,
    loadAverage: Number(loadavg()[0]!.toFixed(1)),
    saveMs: {p50: Number(quantile(saveTimes, 0.5).toFixed(1)), p95: Number(quantile(saveTimes, 0.95).toFixed(1))},
    peerWriteMs: {p50: Number(quantile(peerTimes, 0.5).toFixed(1)), p95: Number(quantile(peerTimes, 0.95).toFixed(1))},
    ratioP95: Number((quantile(saveTimes, 0.95) / quantile(peerTimes, 0.95)).toFixed(2)),
    lookupAfterSaveMs: {p50: Number(quantile(lookupTimes, 0.5).toFixed(1)), p95: Number(quantile(lookupTimes, 0.95).toFixed(1))},
    memoryRebuildsDuringSaves: tm.rebuilds - rebuildsBefore
  }
  await writeFile(join(root, 'bench', 'review-save.json'), JSON.stringify(results, null, 2) + '\n')
  console.log(JSON.stringify(results, null, 2))
} finally {
  await rm(dir, {recursive: true, force: true})
}
