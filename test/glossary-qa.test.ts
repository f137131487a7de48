// The glossary and QA stages together, on the real termbase: a forbidden
// target term blocks approval, a deprecated one only warns.
import {beforeAll, describe, expect, it} from 'vitest'
import {compileMatcher, findForbidden, loadTermbase, targetHasTerm} from '../src/glossary/index.ts'
import type {Termbase} from '../src/glossary/types.ts'
import {blocksApproval, runChecks} from '../src/qa/index.ts'
import {repoRoot} from './helpers/project.ts'

let termbase: Termbase
beforeAll(async () => {
  termbase = (await loadTermbase(`${repoRoot}glossary`)).termbase
})

function check(source: string, target: string, targetLocale: string) {
  const hits = compileMatcher(termbase, {source: 'fr', target: targetLocale}).match(source)
  return runChecks(
    {source, target, sourceLocale: 'fr', targetLocale, hits, unknown: [], state: 'translated'},
    {targetHasTerm, findForbidden}
  )
}

describe('glossary statuses in QA', () => {
  it('reports a forbidden target term as an error that blocks approval', () => {
    const findings = check("L'Organisation internationale pour les migrations agit.", 'The International Organisation for Migration acts.', 'en')
    expect(findings.filter((finding) => finding.severity === 'error').map((finding) => finding.rule)).toContain('glossary-forbidden')
    expect(blocksApproval(findings)).toBe(true)
  })

  it('reports a deprecated target term as a warning only', () => {
    const findings = check('Le développement durable des villes.', 'El desarrollo sustentable de las ciudades.', 'es')
    expect(findings.map((finding) => [finding.rule, finding.severity])).toContainEqual(['glossary-deprecated', 'warning'])
    expect(findings.some((finding) => finding.rule === 'glossary-forbidden')).toBe(false)
    expect(blocksApproval(findings)).toBe(false)
  })

  it('accepts the preferred term', () => {
    const findings = check('Le développement durable des villes.', 'El desarrollo sostenible de las ciudades.', 'es')
    expect(findings.filter((finding) => finding.rule.startsWith('glossary-'))).toEqual([])
  })
})
