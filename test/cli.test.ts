// The command line as a user meets it: real processes, exit codes, and one
// line per problem naming the file and what to do.
import {execFile} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterEach, describe, expect, it} from 'vitest'
import {fakeKey, startFakeDeepl} from './helpers/deepl-server.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const run = promisify(execFile)
const bin = join(repoRoot, 'bin', 'passerelle.js')

async function passerelle(root: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    const {stdout, stderr} = await run(process.execPath, [bin, '-C', root, ...args], {env, encoding: 'utf8'})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const failed = error as {code: number; stdout: string; stderr: string}
    return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr}
  }
}

const good = '---\ntitle: Bonjour\n---\n\nL’OIM soutient les villes.\n'

let temp: TempProject
afterEach(() => temp?.cleanup())

describe('passerelle CLI', () => {
  it('translates with the pseudo engine, reports, and makes zero calls the second time', async () => {
    temp = await tempProject({'content/fr/a.md': good})
    const first = await passerelle(temp.root, ['translate', '--engine', 'pseudo', '--to', 'en'])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/en: 2 segments, 2 machine-translated/)
    const second = await passerelle(temp.root, ['translate', '--engine', 'pseudo', '--to', 'en'])
    expect(second.stdout).toContain('engine calls: 0')
    const status = await passerelle(temp.root, ['status', '--json'])
    const parsed = JSON.parse(status.stdout) as {locale: string; states: {machine: number}}[]
    expect(parsed[0]!.locale).toBe('en')
    expect(parsed[0]!.states.machine).toBe(2)
  })

  it('exits 1 with one line per bad file, and still translates the good ones', async () => {
    temp = await tempProject({
      'content/fr/a.md': good,
      'content/fr/bad.md': '---\ntitle: : :\n  - x\n---\ntexte\n',
      'content/fr/latin1.md': Buffer.from('Caf\xe9.\n', 'latin1')
    })
    const result = await passerelle(temp.root, ['translate', '--engine', 'pseudo', '--to', 'es'])
    expect(result.code).toBe(1)
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^passerelle: content\/fr\/bad\.md: .*\(E_FRONTMATTER\) — /)
    expect(lines[1]).toMatch(/^passerelle: content\/fr\/latin1\.md: file is not valid UTF-8 \(E_ENCODING\) — re-save it as UTF-8/)
    expect(JSON.parse(await readFile(join(temp.root, 'locales', 'es', 'a.json'), 'utf8')).segments).toHaveLength(2)
  })

  it('refuses an unknown locale with the list of known ones', async () => {
    temp = await tempProject({'content/fr/a.md': good})
    const result = await passerelle(temp.root, ['translate', '--to', 'xx'])
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toMatch(/^passerelle: unknown locale 'xx' \(E_LOCALE\) — use one of: fr, en/)
  })

  it('says how to install Apertium when it is missing', async () => {
    temp = await tempProject({'content/fr/a.md': good})
    const result = await passerelle(temp.root, ['translate', '--to', 'es'], {...process.env, PATH: '/nonexistent'})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/Apertium is not installed .*apt-get install -y apertium apertium-fr-es/)
  })

  it('reports a malformed glossary entry by file and keeps translating', async () => {
    temp = await tempProject({'content/fr/a.md': good, 'glossary/broken.yaml': '- id: broken\n  terms: 12\n'})
    const result = await passerelle(temp.root, ['translate', '--engine', 'pseudo', '--to', 'en'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/glossary\/broken\.yaml.*E_GLOSSARY/)
    expect(result.stdout).toMatch(/en: 2 segments, 2 machine-translated/)
  })

  it('translates with --engine deepl against a DeepL v2 server, shows usage, and never prints the key', async () => {
    const fake = await startFakeDeepl()
    try {
      temp = await tempProject({'content/fr/a.md': good})
      const env = {...process.env, DEEPL_AUTH_KEY: fakeKey, DEEPL_SERVER_URL: fake.url}
      const refused = await passerelle(temp.root, ['translate', '--engine', 'deepl', '--to', 'en', '--max-chars', '5'], env)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/over --max-chars 5 \(E_BUDGET\)/)
      expect(fake.succeeded()).toHaveLength(0)

      const ok = await passerelle(temp.root, ['translate', '--engine', 'deepl', '--to', 'en'], env)
      expect(ok.stderr).toBe('')
      expect(ok.stdout).toMatch(/deepl usage: \d+ characters billed .*; this run will send about \d+/)
      expect(ok.stdout).toMatch(/en: 2 segments, 2 machine-translated/)

      const badKey = 'wrong-secret-key:fx'
      await temp.write('content/fr/b.md', '---\ntitle: Autre\n---\n\nUne autre phrase.\n')
      const denied = await passerelle(temp.root, ['translate', '--engine', 'deepl', '--to', 'en'], {...env, DEEPL_AUTH_KEY: badKey})
      expect(denied.code).toBe(1)
      expect(denied.stderr).toMatch(/E_AUTH/)
      expect(denied.stderr + denied.stdout).not.toContain(badKey)
    } finally {
      await fake.close()
    }
  })

  it('runs the whole workflow through the CLI: ingest, translate, XLIFF, TMX, TBX and PO round trips, qa, build', async () => {
    temp = await tempProject()
    const seeds = join(repoRoot, '..', 'shared', 'seeds')
    const {readdir} = await import('node:fs/promises')
    const seedFiles = (await readdir(seeds)).map((name) => join(seeds, name)).slice(0, 2)
    const step = async (args: string[]) => {
      const result = await passerelle(temp.root, args)
      expect(result.stderr, args.join(' ')).toBe('')
      expect(result.code, args.join(' ')).toBe(0)
      return result.stdout
    }
    expect(await step(['ingest', ...seedFiles])).toMatch(/wrote content\/fr\/_site\.md/)
    await step(['translate', '--engine', 'pseudo', '--to', 'en'])
    const xlf = join(temp.root, 'en.xlf')
    await step(['xliff', 'export', '--to', 'en', xlf])
    const bundlesBefore = await readFile(join(temp.root, 'locales', 'en', '_site.json'), 'utf8')
    expect(await step(['xliff', 'import', xlf])).toMatch(/0 applied/)
    expect(await readFile(join(temp.root, 'locales', 'en', '_site.json'), 'utf8')).toBe(bundlesBefore)
    // The memory holds human work only: approve one segment first.
    const sitePath = join(temp.root, 'locales', 'en', '_site.json')
    const site = JSON.parse(await readFile(sitePath, 'utf8')) as {segments: {state: string}[]}
    site.segments[0]!.state = 'approved'
    await temp.write('locales/en/_site.json', JSON.stringify(site, null, 2) + '\n')
    expect(await step(['tm', 'export', '--to', 'en', join(temp.root, 'memory.tmx')])).toMatch(/^1 unit written/)
    expect(await step(['tm', 'import', join(temp.root, 'memory.tmx')])).toMatch(/1 unit imported, 0 refused/)
    const twoLocales = await passerelle(temp.root, ['tm', 'export', '--to', 'en,es', join(temp.root, 'two.tmx')])
    expect(twoLocales.code).toBe(1)
    expect(twoLocales.stderr).toMatch(/tm export writes one target locale, not 2 \(E_LOCALE\)/)
    await step(['glossary', 'export', join(temp.root, 'terms.tbx')])
    expect(await readFile(join(temp.root, 'terms.tbx'), 'utf8')).toMatch(/<conceptEntry id="iom">/)
    await step(['export', '--format', 'po', '--to', 'en', join(temp.root, 'po')])
    expect(await step(['qa', '--to', 'en'])).toMatch(/0 errors/)
    expect(await step(['build', '--to', 'en'])).toMatch(/en: 2 of 2 articles published/)
  })
})
