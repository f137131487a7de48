// The glossary usage report and QA judge a concept's occurrences the same
// way, on the project's real articles, termbase and bundles (content/fr,
// glossary/, locales/ in the repository): a violation in the report is a
// glossary finding of QA for the same segment and concept, and the reverse.
import {cp} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {loadLocaleBundles} from '../src/workflow/store.ts'
import {readGlossary} from '../src/glossary/snapshot.ts'
import {checkTarget} from '../src/workflow/check.ts'
import {conceptUsage} from '../src/review/terms.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

let project: TempProject
beforeAll(async () => {
  project = await tempProject({}, {content: true})
  await cp(join(repoRoot, 'locales'), join(project.root, 'locales'), {recursive: true})
})
afterAll(() => project?.cleanup())

describe('usage report and QA', () => {
  it('agree on every concept, segment and locale of the project', async () => {
    const glossary = await readGlossary(project.project.glossaryDir, 'fr')
    let compared = 0
    for (const locale of ['en', 'es']) {
      const {bundles} = await loadLocaleBundles(project.project.localesDir, locale)
      // QA's view: hits of the whole termbase, checked against each target.
      const fromQa = new Set<string>()
      for (const bundle of bundles) {
        for (const segment of bundle.segments) {
          if (segment.target === undefined || segment.target === '') continue
          const checks = checkTarget(segment, segment.target, segment.state, glossary.hits(segment.source, locale), {source: 'fr', target: locale})
          for (const hit of checks.hits) {
            if (hit.forbiddenUsed.length > 0) fromQa.add(`${bundle.article}/${segment.id}/${hit.concept}/forbidden`)
            else if (hit.found === false && (hit.dnt || hit.expected.length > 0)) fromQa.add(`${bundle.article}/${segment.id}/${hit.concept}/missing`)
          }
        }
      }
      const fromUsage = new Set<string>()
      for (const concept of glossary.termbase.concepts.filter((item) => !item.retired)) {
        const usage = await conceptUsage(project.project, glossary, concept.id, locale)
        compared += usage.entries.length
        for (const entry of usage.entries) if (entry.violation) fromUsage.add(`${entry.slug}/${entry.id}/${concept.id}/${entry.violation}`)
      }
      expect([...fromUsage].sort()).toEqual([...fromQa].sort())
    }
    expect(compared).toBeGreaterThan(50)
  })
})
