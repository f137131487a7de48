// One process per file, as a make rule or a CMS hook runs it: `passerelle
// segment <file>` against po4a's `po4a-updatepo -f text -o markdown` (the
// Debian peer that extracts a Markdown file's translatable text to PO), on
// the same generated articles, interleaved file by file so both see the same
// load. Start-up dominates both. Compiles the CLI first (lib/, with the
// code cache of lib/segment.cjs), then runs it as a user does.
import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {loadavg, tmpdir} from 'node:os'
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
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'compile.mjs')])
  const corpus = await generateProject(files)
  const out = await mkdtemp(join(tmpdir(), 'passerelle-bench-po-'))
  try {
    const bin = join(repoRoot, 'bin', 'passerelle.js')
    const loadStart = loadavg()[0]!
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
      loadAverage: {start: round(loadStart, 2), end: round(loadavg()[0]!, 2)},
      // lib/segment.cjs.cache, written by `npm run compile` and used by every run below.
      codeCache: existsSync(join(repoRoot, 'lib', 'segment.cjs.cache')),
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
