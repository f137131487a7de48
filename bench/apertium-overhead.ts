// The MT pipeline against raw Apertium on the same text: `translate --to es`
// (and `--to en`) over a generated corpus of ~50,000 words, from scratch, as
// the CLI runs it (Apertium wrapped in post-editing), against `apertium -u
// fr-es` (and `| apertium -u spa-eng`) on the concatenated Markdown of the
// same articles. Passerelle sends each distinct sentence once, so a second
// peer runs Apertium on exactly that text (the distinct sentences, tags
// removed). Each round runs peer, Passerelle, distinct-text peer, peer, in one
// process, so the ratio to the mean of the round's two peer runs absorbs the
// load of this shared machine; the figures are the medians over the rounds.
import {execFileSync} from 'node:child_process'
import {readFile, rm, writeFile} from 'node:fs/promises'
import {loadavg} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {withPostEdit} from '../src/postedit/index.ts'
import {translateProject} from '../src/translate/run.ts'
import {parseArticle} from '../src/segment/index.ts'
import {generateProject} from './corpus.ts'

export async function benchApertiumOverhead(options: {articles?: number; rounds?: number} = {}) {
  try {
    execFileSync('apertium', ['-l'])
  } catch {
    return {skipped: 'apertium is not installed'}
  }
  const rounds = options.rounds ?? 2
  const corpus = await generateProject(options.articles ?? 80)
  try {
    const texts = await Promise.all(corpus.slugs.map((slug) => readFile(join(corpus.root, 'content', 'fr', `${slug}.md`), 'utf8')))
    const input = join(corpus.root, 'all.txt')
    await writeFile(input, texts.join('\n\n'))
    const distinct = join(corpus.root, 'distinct.txt')
    const sentences = new Set(texts.flatMap((markdown) => parseArticle(markdown).segments.map((segment) => segment.source)))
    const plain = [...sentences].map((source) => source.replace(/<\/?\d+\/?>/g, '').replace(/&lt;/g, '<').replace(/&amp;/g, '&'))
    await writeFile(distinct, plain.join('\n\n'))
    const peers: Record<string, string> = {es: `apertium -u fr-es ${input} > /dev/null`, en: `apertium -u fr-es ${input} | apertium -u spa-eng > /dev/null`}
    const distinctPeers: Record<string, string> = {es: `apertium -u fr-es ${distinct} > /dev/null`, en: `apertium -u fr-es ${distinct} | apertium -u spa-eng > /dev/null`}
    const words = (text: string) => text.split(/\s+/).filter(Boolean).length
    const result: Record<string, unknown> = {
      articles: corpus.slugs.length,
      words: corpus.words,
      distinctSentenceWords: plain.reduce((sum, text) => sum + words(text), 0),
      rounds,
      loadAverageAtStart: round(loadavg()[0]!, 2)
    }
    for (const locale of ['es', 'en']) {
      const peer = (command = peers[locale]!) => {
        const start = performance.now()
        execFileSync('bash', ['-c', command])
        return (performance.now() - start) / 1000
      }
      const ours = async (postEdit: boolean) => {
        await rm(join(corpus.root, 'locales'), {recursive: true, force: true})
        await rm(join(corpus.root, '.passerelle'), {recursive: true, force: true})
        const apertium = createApertiumEngine()
        const engine = postEdit ? withPostEdit(apertium, {glossaryDir: corpus.project.glossaryDir, settings: corpus.project.config.postEdit}) : apertium
        const start = performance.now()
        const report = await translateProject(corpus.project, {locales: [locale], engine})
        const seconds = (performance.now() - start) / 1000
        apertium.close()
        return {seconds, calls: apertium.calls, machineTranslated: report.locales[0]?.machineTranslated ?? 0}
      }
      const runs: {peer: number; passerelle: number; distinctPeer: number; calls: number; machineTranslated: number}[] = []
      for (let index = 0; index < rounds; index++) {
        const before = peer()
        const passerelle = await ours(true)
        const distinctPeer = peer(distinctPeers[locale]!)
        const after = peer()
        runs.push({peer: (before + after) / 2, passerelle: passerelle.seconds, distinctPeer, calls: passerelle.calls, machineTranslated: passerelle.machineTranslated})
      }
      result[`fr-${locale}`] = {
        passerelleSeconds: round(median(runs.map((run) => run.passerelle))),
        distinctPeerSeconds: round(median(runs.map((run) => run.distinctPeer))),
        peerSeconds: round(median(runs.map((run) => run.peer))),
        peerCommand: peers[locale]!.replace(input, '<corpus>'),
        ratio: round(median(runs.map((run) => run.passerelle / run.peer))),
        // Against Apertium on the very text Passerelle sends: what the pipeline adds to the engine's own work.
        ratioToDistinctText: round(median(runs.map((run) => run.passerelle / run.distinctPeer))),
        ratios: runs.map((run) => round(run.passerelle / run.peer)),
        distinctSentencesTranslated: runs[0]!.machineTranslated,
        engineBatches: runs[0]!.calls,
        target: 'ratio <= 1.15'
      }
    }
    result.loadAverageAtEnd = round(loadavg()[0]!, 2)
    return result
  } finally {
    await corpus.cleanup()
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function round(value: number, digits = 3): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
