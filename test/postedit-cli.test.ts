// `quality` and the post-edit settings as a user meets them: real processes,
// one line per problem naming the file.
import {execFile} from 'node:child_process'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterEach, describe, expect, it} from 'vitest'
import {loadProject} from '../src/config.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const run = promisify(execFile)
const bin = join(repoRoot, 'bin', 'passerelle.js')

async function passerelle(root: string, args: string[]) {
  try {
    const {stdout, stderr} = await run(process.execPath, [bin, '-C', root, ...args], {encoding: 'utf8'})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const failed = error as {code: number; stdout: string; stderr: string}
    return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr}
  }
}

let temp: TempProject
afterEach(() => temp?.cleanup())

describe('post-edit settings and the quality command', () => {
  it('passerelle.json switches post-edit steps per locale, and refuses unknown ones', async () => {
    temp = await tempProject({'passerelle.json': JSON.stringify({postEdit: {es: {honorifics: false}}})})
    expect(temp.project.config.postEdit).toEqual({es: {honorifics: false}})
    await temp.write('passerelle.json', JSON.stringify({postEdit: {es: {typography: false}}}))
    await expect(loadProject(temp.root)).rejects.toThrow(/invalid setting postEdit\.es/)
  })

  it('quality prints chrF and term adherence; a bad reference line is one line naming the file and line', async () => {
    temp = await tempProject({
      'refs.tsv': 'La traite des personnes est un crime grave.\tTrafficking in persons is a serious crime.\n',
      'bad.tsv': 'a\tb\nno tab here\n'
    })
    const ok = await passerelle(temp.root, ['quality', '--refs', join(temp.root, 'refs.tsv'), '--to', 'en', '--engine', 'pseudo'])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/^en \(pseudo\), 1 pairs\nchrF: \d+\.\d\d\nterm adherence: machine 100\.0 %, references 100\.0 % \(1 glossary hits\)/)
    const bad = await passerelle(temp.root, ['quality', '--refs', join(temp.root, 'bad.tsv'), '--to', 'en', '--engine', 'pseudo'])
    expect(bad.code).toBe(1)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toContain("bad.tsv: line 2: expected 'source<TAB>reference'")
  }, 60_000)

  it('translate reports a rule whose example fails, naming the file and line, and still translates', async () => {
    temp = await tempProject({
      'content/fr/a.md': '---\ntitle: Bonjour\n---\n\nLe chef de mission parle.\n',
      'glossary/rules/en.yaml': 'rules:\n  - id: broken\n    stage: target\n    match: boss\n    replace: head\n    note: wrong example\n    example: {input: the boss, expected: the chief}\n'
    })
    const result = await passerelle(temp.root, ['translate', '--to', 'en', '--no-progress'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/glossary\/rules\/en\.yaml: rule 'broken' \(rules\[0\], line 2\) skipped: its example gives 'the head', not the expected 'the chief'/)
    expect(result.stdout).toContain('en: 2 segments, 2 machine-translated')
  }, 120_000)
})
