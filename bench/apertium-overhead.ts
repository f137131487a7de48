// The MT pipeline against raw Apertium on the same text: `translate --to es`
// (and `--to en`) over a generated corpus, from scratch, against `apertium -u
// fr-es` (and `| apertium -u spa-eng`) on the concatenated Markdown of the
// same articles. Peer, Passerelle, peer again, in one process, so the ratio
// to the mean of the two peer runs absorbs the machine's load.
import {execFileSync} from 'node:child_process'
import {readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {translateProject} from '../src/translate/run.ts'
import {generateProject} from './corpus.ts'

export async function benchApertiumOverhead(options: {articles?: number} = {}) {
  try {
    execFileSync('apertium', ['-l'])
  } catch {
    return {skipped: 'apertium is not installed'}
  }
  const corpus = await generateProject(options.articles ?? 80)
  try {
    const text = (await Promise.all(corpus.slugs.map((slug) => readFile(join(corpus.root, 'content', 'fr', `${slug}.md`), 'utf8')))).join('\n\n')
    const input = join(corpus.root, 'all.txt')
    await writeFile(input, text)
    const peers: Record<string, string> = {es: `apertium -u fr-es ${input} > /dev/null`, en: `apertium -u fr-es ${input} | apertium -u spa-eng > /dev/null`}
    const result: Record<string, unknown> = {articles: corpus.slugs.length, words: corpus.words}
    for (const locale of ['es', 'en']) {
      const peer = () => {
        const start = performance.now()
        execFileSync('bash', ['-c', peers[locale]!])
        return (performance.now() - start) / 1000
      }
      const ours = async () => {
        await rm(join(corpus.root, 'locales'), {recursive: true, force: true})
        await rm(join(corpus.root, '.passerelle'), {recursive: true, force: true})
        const engine = createApertiumEngine()
        const start = performance.now()
        await translateProject(corpus.project, {locales: [locale], engine})
        return {seconds: (performance.now() - start) / 1000, processes: engine.calls}
      }
      const before = peer()
      const passerelle = await ours()
      const after = peer()
      const peerSeconds = (before + after) / 2
      result[`fr-${locale}`] = {
        passerelleSeconds: round(passerelle.seconds),
        peerSeconds: round(peerSeconds),
        peerCommand: peers[locale]!.replace(input, '<corpus>'),
        ratio: round(passerelle.seconds / peerSeconds),
        apertiumProcessChains: passerelle.processes,
        target: 'ratio <= 1.15'
      }
    }
    return result
  } finally {
    await corpus.cleanup()
  }
}

function round(value: number, digits = 3): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
