// The role × action matrix, written out by hand: each row says which roles
// may do the action (T translator, R reviewer, G terminologist, P publisher,
// A admin). Derived from the roles, not from the code.
import {describe, expect, it} from 'vitest'
import {actions, can, roles, type Action, type Role} from '../src/team/index.ts'

const matrix: Record<string, string> = {
  'project.read': 'T R G P A',
  'segment.edit': 'T R . . A',
  'segment.markTranslated': 'T R . . A',
  'segment.review': '. R . . A',
  'segment.approve': '. R . . A',
  'segment.comment': 'T R G . A',
  'finding.acknowledge': '. R . . A',
  'xliff.export': 'T R . . A',
  'xliff.import': 'T R . . A',
  'mt.request': 'T R . . A',
  'glossary.edit': '. . G . A',
  'glossary.import': '. . G . A',
  'tm.import': '. . G . A',
  build: '. . . P A',
  'db.sync': '. . . P A',
  'audit.read': '. . . P A',
  'users.manage': '. . . . A'
}
const letter: Record<Role, string> = {translator: 'T', reviewer: 'R', terminologist: 'G', publisher: 'P', admin: 'A'}

describe('can(user, action, {locale})', () => {
  it('covers every action and role of the table', () => {
    expect([...actions].sort()).toEqual(Object.keys(matrix).sort())
    expect(actions.length).toBeGreaterThanOrEqual(15)
    expect(roles).toHaveLength(5)
  })

  for (const [action, allowed] of Object.entries(matrix)) {
    for (const role of roles) {
      const expected = allowed.split(' ').includes(letter[role])
      it(`${role} ${expected ? 'may' : 'may not'} ${action}`, () => {
        expect(can({role, locales: []}, action as Action, {locale: 'en'})).toBe(expected)
      })
    }
  }

  it('keeps translators and reviewers to their locales', () => {
    const translator = {role: 'translator' as const, locales: ['es']}
    expect(can(translator, 'segment.edit', {locale: 'es'})).toBe(true)
    expect(can(translator, 'segment.edit', {locale: 'en'})).toBe(false)
    expect(can(translator, 'xliff.import', {locale: 'en'})).toBe(false)
    const reviewer = {role: 'reviewer' as const, locales: ['en']}
    expect(can(reviewer, 'segment.approve', {locale: 'en'})).toBe(true)
    expect(can(reviewer, 'segment.approve', {locale: 'es'})).toBe(false)
    // Not locale-bound: a comment or reading is allowed whatever the locale.
    expect(can(translator, 'segment.comment', {locale: 'en'})).toBe(true)
    expect(can(translator, 'project.read')).toBe(true)
  })

  it('refuses a locale-bound action that names no locale, except to admins', () => {
    expect(can({role: 'reviewer', locales: []}, 'segment.approve')).toBe(false)
    expect(can({role: 'admin', locales: []}, 'segment.approve')).toBe(true)
  })

  it('refuses everything to a disabled user, admins included', () => {
    for (const role of roles) {
      for (const action of actions) expect(can({role, locales: [], disabled: true}, action, {locale: 'en'}), `${role} ${action}`).toBe(false)
    }
  })
})
