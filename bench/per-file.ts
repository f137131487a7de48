// One process per file, as a make rule or a CMS hook runs it: `passerelle
// segment <file>` against po4a's `po4a-updatepo -f text -o markdown` (the
// Debian peer that extracts a Markdown file's translatable text to PO), on
// the same generated articles, interleaved file by file so both see the same
// load. Start-up dominates both. Runs the compiled CLI as it is in lib/
// (`npm run compile` first after changing src/).
import {execFileSync} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {generateProject, repoRoot} from './corpus.ts'
import {median, round, timeCommand} from './timing.ts'

export async function benchPerFile(options: {files?: number} = {}) {
  try {
    execFileSync('po4a-updatepo', ['--version'], {stdio: 'ignore'})
  } catch {
    return {skipped: 'po4a is not installed (Debian package po4a)'}
  }
  const files = options.files ?? 50
  const corpus = await generateProject(files)
  const out = await mkdtemp(join(tmpdir(), 'passerelle-bench-po-'))
  try {
    const bin = join(repoRoot, 'bin', 'passerelle.js')
    const passerelle: {seconds: number; cpuSeconds: number}[] = []
    const po4a: {seconds: number; cpuSeconds: number}[] = []
    for (const slug of corpus.slugs) {
      const file = join(corpus.root, 'content', 'fr', `${slug}.md`)
      passerelle.push(timeCommand(process.execPath, [bin, 'segment', file]))
      po4a.push(timeCommand('po4a-updatepo', ['-f', 'text', '-o', 'markdown', '-M', 'UTF-8', '-m', file, '-p', join(out, `${slug}.po`)]))
    }
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)
    const figure = (runs: {seconds: number; cpuSeconds: number}[]) => ({
      totalSeconds: round(sum(runs.map((run) => run.seconds))),
      medianSeconds: round(median(runs.map((run) => run.seconds))),
      totalCpuSeconds: round(sum(runs.map((run) => run.cpuSeconds))),
      medianCpuSeconds: round(median(runs.map((run) => run.cpuSeconds)))
    })
    const [ours, peer] = [figure(passerelle), figure(po4a)]
    return {
      files,
      words: corpus.words,
      passerelleSegment: ours,
      po4aUpdatepo: peer,
      ratioWall: round(ours.totalSeconds / peer.totalSeconds, 2),
      ratioCpu: round(ours.totalCpuSeconds / peer.totalCpuSeconds, 2),
      target: 'ratio ≤ 2'
    }
  } finally {
    await rm(out, {recursive: true, force: true})
    await corpus.cleanup()
  }
}
