// A project with one very long article (thousands of segments), for the review
// app's windowed rendering: its browser test and the `reviewOpen` benchmark.
// The source is made of the repository's own French paragraphs, each copy
// numbered so that every sentence is distinct; the bundle is translated with
// the pseudo engine, then given a realistic mix of states (some approved,
// reviewed, translated by a person, a few stale) so that filters mean something.
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parseArticle} from '../../src/segment/index.ts'
import {createPseudoEngine} from '../../src/engines/pseudo.ts'
import {translateProject} from '../../src/translate/run.ts'
import {bundlePath, loadBundle} from '../../src/workflow/store.ts'
import type {Bundle} from '../../src/workflow/types.ts'
import {writeBundleFile} from './bundle.ts'
import {repoRoot, tempProject, type TempProject} from './project.ts'

export const bigSlug = 'rapport-annuel'

/** Paragraphs of the committed articles (front matter, headings and list markers left out). */
async function paragraphs(): Promise<string[]> {
  const dir = join(repoRoot, 'content', 'fr')
  const out: string[] = []
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.md')).sort()) {
    const body = (await readFile(join(dir, name), 'utf8')).replace(/^---\n[\s\S]*?\n---\n/, '')
    for (const block of body.split(/\n{2,}/)) {
      const text = block.trim()
      if (text.length > 40 && /^[A-ZÀ-Ýa-zà-ÿL«]/.test(text) && !text.includes('\n')) out.push(text)
    }
  }
  return out
}

/**
 * The Markdown of an article of about `segments` sentences: one numbered
 * heading every 20 paragraphs, paragraphs of one to three sentences.
 */
export async function bigArticleMarkdown(segments: number): Promise<string> {
  const pool = await paragraphs()
  const lines = ['---', 'title: Rapport annuel', '---', '']
  // The title is one segment; each paragraph counts as many as the segmenter makes of it.
  let count = 1
  for (let n = 0; count < segments; n++) {
    const block = n % 20 === 0 ? `## Partie ${n / 20 + 1}` : `${pool[n % pool.length]!.split(/(?<=[.!?])\s+(?=[A-ZÀ-Ý])/)[0]!.replace(/[.!?]?$/, '')} (paragraphe ${n}).`
    const size = parseArticle(`${block}\n`).segments.length
    if (count + size > segments) continue
    lines.push(block, '')
    count += size
  }
  return lines.join('\n')
}

export interface BigArticle extends TempProject {
  slug: string
  bundle: Bundle
}

/** A temporary project whose article `rapport-annuel` has `segments` segments, translated into English. */
export async function bigArticleProject(segments = 5000): Promise<BigArticle> {
  const project = await tempProject({'content/fr/rapport-annuel.md': await bigArticleMarkdown(segments), 'passerelle.json': JSON.stringify({locales: ['en']})})
  const report = await translateProject(project.project, {locales: ['en'], engine: createPseudoEngine(), now: () => '2026-01-01T00:00:00.000Z'})
  if (report.failures.length > 0) throw new Error(`big article: ${report.failures.map((failure) => failure.message).join('; ')}`)
  const path = bundlePath(project.project.localesDir, 'en', bigSlug)
  const bundle = (await loadBundle(path))!
  bundle.segments = bundle.segments.map((segment, index) => {
    if (index % 7 === 3) return {...segment, state: 'approved' as const, origin: {kind: 'human' as const, by: 'Ana Ruiz'}, revision: segment.revision + 1}
    if (index % 11 === 5) return {...segment, state: 'reviewed' as const, origin: {kind: 'human' as const, by: 'Tom Baker'}, revision: segment.revision + 1}
    if (index % 97 === 50) return {...segment, state: 'translated' as const, stale: true, previous: {source: `${segment.source} (ancienne version)`, target: segment.target ?? ''}, origin: {kind: 'human' as const, by: 'Tom Baker'}, revision: segment.revision + 1}
    return segment
  })
  await writeBundleFile(project.project.localesDir, bundle)
  return {...project, slug: bigSlug, bundle}
}
