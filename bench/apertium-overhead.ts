// The MT pipeline against raw Apertium on the same text: `passerelle
// translate --to es` (and `--to en`), the compiled CLI as a user runs it,
// from scratch, over a generated corpus of 50,000 words whose copies vary
// their words (bench/corpus.ts `distinct`), so that (almost) every sentence
// is distinct and Passerelle sends (almost) the whole corpus. Two peers:
// `apertium -u fr-es` (and `| apertium -u spa-eng`) on the concatenated
// Markdown of the articles, and the same on exactly the distinct sentences
// Passerelle sends (tags removed). Each round runs peer, Passerelle,
// distinct-text peer, peer, so the ratios absorb the load of this shared
// machine; figures are medians over the rounds, wall and CPU (user + system
// of the whole process tree, Apertium's pipelines included).
//
// Also measured, to say what the target can be on this machine: Node's own
// CPU inside `translate` (bench/peers/self-cpu.mjs), and a plain remark parse
// of the corpus in a fresh process (bench/peers/remark-parse.mjs), the one
// piece of Node work `translate` cannot skip. Apertium's pipeline keeps
// about `apertiumCores` cores busy by itself; when that is (nearly) all of
// them, no overlap can hide Node's CPU, and the wall time is at least
// (Apertium's CPU + the plain parse's CPU) / cores: `floorRatio`.
import {execFileSync} from 'node:child_process'
import {readFile, rm, writeFile} from 'node:fs/promises'
import {availableParallelism, loadavg} from 'node:os'
import {join} from 'node:path'
import {parseArticle} from '../src/segment/index.ts'
import {generateProject, repoRoot, sentenceWords} from './corpus.ts'
import {childrenCpuSeconds, median, round, timeCommand} from './timing.ts'

export async function benchApertiumOverhead(options: {words?: number; rounds?: number} = {}) {
  try {
    execFileSync('apertium', ['-l'])
  } catch {
    return {skipped: 'apertium is not installed'}
  }
  const rounds = options.rounds ?? 3
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'compile.mjs')])
  const corpus = await generateProject(0, {distinct: true, words: options.words ?? 50_000})
  try {
    const texts = await Promise.all(corpus.slugs.map((slug) => readFile(join(corpus.root, 'content', 'fr', `${slug}.md`), 'utf8')))
    const input = join(corpus.root, 'all.txt')
    await writeFile(input, texts.join('\n\n'))
    const distinct = join(corpus.root, 'distinct.txt')
    const sentences = sentenceWords(texts.map((markdown) => parseArticle(markdown).segments.map((segment) => segment.source)))
    const plain = sentences.distinctSentences.map((source) => source.replace(/<\/?\d+\/?>/g, '').replace(/&lt;/g, '<').replace(/&amp;/g, '&'))
    await writeFile(distinct, plain.join('\n\n'))
    const peers: Record<string, string> = {es: `apertium -u fr-es ${input} > /dev/null`, en: `apertium -u fr-es ${input} | apertium -u spa-eng > /dev/null`}
    const distinctPeers: Record<string, string> = {es: `apertium -u fr-es ${distinct} > /dev/null`, en: `apertium -u fr-es ${distinct} | apertium -u spa-eng > /dev/null`}
    const result: Record<string, unknown> = {
      articles: corpus.slugs.length,
      // Every word of the Markdown files (front matter included), then of the segments, then of the distinct segments.
      words: corpus.words,
      sentenceWords: sentences.words,
      distinctSentenceWords: sentences.distinctWords,
      distinctShare: round(sentences.distinctWords / sentences.words, 3),
      rounds,
      loadAverageAtStart: round(loadavg()[0]!, 2)
    }
    const bin = join(repoRoot, 'bin', 'passerelle.js')
    const selfCpuFile = join(corpus.root, 'self-cpu.txt')
    const files = corpus.slugs.map((slug) => join(corpus.root, 'content', 'fr', `${slug}.md`))
    const cores = availableParallelism()
    result.cores = cores
    for (const locale of ['es', 'en']) {
      const peer = (command: string) => timeCommand('bash', ['-c', command])
      const ours = async () => {
        await rm(join(corpus.root, 'locales'), {recursive: true, force: true})
        await rm(join(corpus.root, '.passerelle'), {recursive: true, force: true})
        const timing = timeCommand(process.execPath, ['--import', join(repoRoot, 'bench', 'peers', 'self-cpu.mjs'), bin, '-C', corpus.root, 'translate', '--to', locale, '--no-progress'], {
          env: {...process.env, PASSERELLE_SELF_CPU: selfCpuFile}
        })
        return {...timing, nodeCpuSeconds: Number(await readFile(selfCpuFile, 'utf8'))}
      }
      const runs: {
        peer: number
        peerCpu: number
        passerelle: number
        passerelleCpu: number
        nodeCpu: number
        distinctPeer: number
        distinctPeerCpu: number
        parseCpu: number
        parseProcessCpu: number
        load: number
      }[] = []
      for (let index = 0; index < rounds; index++) {
        const before = peer(peers[locale]!)
        const passerelle = await ours()
        const distinctPeer = peer(distinctPeers[locale]!)
        const parse = plainParse(files)
        const after = peer(peers[locale]!)
        runs.push({
          peer: (before.seconds + after.seconds) / 2,
          peerCpu: (before.cpuSeconds + after.cpuSeconds) / 2,
          passerelle: passerelle.seconds,
          passerelleCpu: passerelle.cpuSeconds,
          nodeCpu: passerelle.nodeCpuSeconds,
          distinctPeer: distinctPeer.seconds,
          distinctPeerCpu: distinctPeer.cpuSeconds,
          parseCpu: parse.parseCpuSeconds,
          parseProcessCpu: parse.processCpuSeconds,
          load: loadavg()[0]!
        })
      }
      const figure = (pick: (run: (typeof runs)[number]) => number) => round(median(runs.map(pick)))
      result[`fr-${locale}`] = {
        passerelleSeconds: figure((run) => run.passerelle),
        passerelleCpuSeconds: figure((run) => run.passerelleCpu),
        peerSeconds: figure((run) => run.peer),
        peerCpuSeconds: figure((run) => run.peerCpu),
        distinctPeerSeconds: figure((run) => run.distinctPeer),
        distinctPeerCpuSeconds: figure((run) => run.distinctPeerCpu),
        peerCommand: peers[locale]!.replace(input, '<corpus>'),
        // Against Apertium on the whole corpus, and on the very text Passerelle sends.
        ratio: figure((run) => run.passerelle / run.peer),
        ratioToDistinctText: figure((run) => run.passerelle / run.distinctPeer),
        cpuRatioToDistinctText: figure((run) => run.passerelleCpu / run.distinctPeerCpu),
        // Node's own CPU (not its Apertium children), and against Apertium's CPU on the same text.
        nodeCpuSeconds: figure((run) => run.nodeCpu),
        nodeCpuToApertiumCpu: figure((run) => run.nodeCpu / run.distinctPeerCpu),
        // The parses alone, then the whole process (Node's start-up and remark's modules too).
        plainParseCpuSeconds: figure((run) => run.parseCpu),
        plainParseProcessCpuSeconds: figure((run) => run.parseProcessCpu),
        apertiumCores: figure((run) => run.distinctPeerCpu / run.distinctPeer),
        // The least wall ratio any pipeline that parses with remark can reach on `cores` cores.
        floorRatio: figure((run) => Math.max(1, (run.distinctPeerCpu + run.parseCpu) / cores / run.distinctPeer)),
        ratiosToDistinctText: runs.map((run) => round(run.passerelle / run.distinctPeer)),
        loadAverages: runs.map((run) => round(run.load, 2)),
        target: 'ratioToDistinctText <= 1.15 (wall)'
      }
    }
    result.loadAverageAtEnd = round(loadavg()[0]!, 2)
    return result
  } finally {
    await corpus.cleanup()
  }
}

/** The plain-parse peer in a fresh process: CPU of its parses alone, and of the whole process. */
function plainParse(files: readonly string[]): {parseCpuSeconds: number; processCpuSeconds: number} {
  const before = childrenCpuSeconds()
  const output = execFileSync(process.execPath, [join(repoRoot, 'bench', 'peers', 'remark-parse.mjs'), ...files], {encoding: 'utf8'})
  return {parseCpuSeconds: (JSON.parse(output) as {parseCpuSeconds: number}).parseCpuSeconds, processCpuSeconds: childrenCpuSeconds() - before}
}
