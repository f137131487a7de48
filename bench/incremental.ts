// Incremental `translate`: a full run over a generated corpus, then the same
// run with nothing changed, then with one sentence changed in one article.
// Each figure is a ratio to the full run measured just before it, in the
// same process, so the machine's load cancels out as far as it can.
import {readFile, writeFile} from 'node:fs/promises'
import {loadavg} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import type {Engine} from '../src/engines/types.ts'
import {translateProject} from '../src/translate/run.ts'
import {generateProject} from './corpus.ts'
import {timeCommand} from './timing.ts'

async function apertiumInstalled(): Promise<boolean> {
  const engine = createApertiumEngine()
  return engine.check('fr', 'es').then(
    () => true,
    () => false
  )
}

export async function benchIncremental(options: {articles?: number} = {}) {
  const articles = options.articles ?? 200
  // Copies vary their words (bench/corpus.ts): the full run translates (almost) every sentence.
  const corpus = await generateProject(articles, {distinct: true})
  const useApertium = await apertiumInstalled()
  const engine = (): Engine => (useApertium ? createApertiumEngine() : createPseudoEngine())
  const run = async () => {
    const used = engine()
    const start = performance.now()
    const report = await translateProject(corpus.project, {locales: ['es'], engine: used})
    ;(used as {close?(): void}).close?.()
    return {seconds: (performance.now() - start) / 1000, calls: used.calls, report: report.locales[0]!}
  }
  try {
    const full = await run()
    const unchanged = await run()
    // The first article with a sentence to change (`_site` is no article: its name is not a slug).
    let changedOne = false
    let changedSentence = ''
    for (const slug of corpus.slugs.filter((name) => !name.startsWith('_'))) {
      const file = join(corpus.root, 'content', 'fr', `${slug}.md`)
      const text = await readFile(file, 'utf8')
      const changed = text.replace(/([a-zà-ÿ]) (\d+)\.(\s)/, '$1 modifiée $2.$3')
      if (changed === text) continue
      changedSentence = /[^.\n]*modifiée \d+\./.exec(changed)![0].trim()
      await writeFile(file, changed)
      changedOne = true
      break
    }
    if (!changedOne) throw new Error('bench/incremental: found no sentence to change')
    const oneSentence = await run()
    // The engine's own start-up on that one sentence: what one changed sentence cannot cost less than.
    const peer = useApertium ? timeCommand('bash', ['-c', `printf '%s\\n' "$0" | apertium -u fr-es > /dev/null`, changedSentence]) : undefined
    return {
      articles,
      words: corpus.words,
      engine: useApertium ? 'apertium' : 'pseudo (apertium is not installed)',
      fullSeconds: round(full.seconds),
      unchangedSeconds: round(unchanged.seconds),
      oneSentenceSeconds: round(oneSentence.seconds),
      unchangedRatio: round(unchanged.seconds / full.seconds, 4),
      oneSentenceRatio: round(oneSentence.seconds / full.seconds, 4),
      unchangedSkipped: unchanged.report.unchanged,
      oneSentenceEngineCalls: oneSentence.calls,
      oneSentenceMachineTranslated: oneSentence.report.machineTranslated,
      oneSentenceMinusUnchangedSeconds: round(oneSentence.seconds - unchanged.seconds),
      ...(peer ? {oneSentencePeerCommand: 'apertium -u fr-es on the changed sentence', oneSentencePeerSeconds: round(peer.seconds), oneSentencePeerCpuSeconds: round(peer.cpuSeconds)} : {}),
      loadAverage: round(loadavg()[0]!, 2),
      target: 'unchangedRatio < 0.03'
    }
  } finally {
    await corpus.cleanup()
  }
}

function round(value: number, digits = 3): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
