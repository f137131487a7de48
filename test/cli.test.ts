// The command line as a user meets it: real processes, exit codes, and one
// line per problem naming the file and what to do.
import {execFile, execFileSync, spawn} from 'node:child_process'
import {once} from 'node:events'
import {readFile} from 'node:fs/promises'
import {setTimeout as sleep} from 'node:timers/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterEach, describe, expect, it, onTestFinished} from 'vitest'
import {fakeKey, startFakeDeepl} from './helpers/deepl-server.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'
import {needsShared, seedsDir} from './helpers/shared.ts'

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

// Each test runs several CLI processes: on a busy machine one can take seconds.
describe('passerelle CLI', {timeout: 240_000}, () => {
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

  it('warns in one line before sending when the run would pass the DeepL quota left; none within the quota', async () => {
    // 2 segments: "Bonjour" (7) and "L’OIM soutient les villes." (26): 33 characters; 20 left.
    const fake = await startFakeDeepl({characterLimit: 20})
    try {
      temp = await tempProject({'content/fr/a.md': good})
      const env = {...process.env, DEEPL_AUTH_KEY: fakeKey, DEEPL_SERVER_URL: fake.url}
      const result = await passerelle(temp.root, ['translate', '--engine', 'deepl', '--to', 'en', '--no-progress'], env)
      const lines = result.stderr.trim().split('\n')
      expect(lines[0]).toBe(
        'passerelle: warning: deepl: this run would send about 33 characters but the quota has 20 left (0 of 20 used this period): ' +
          "it will stop with E_QUOTA after about 20 — raise the plan's limit, or translate fewer locales or articles (--to, --article); what is sent is saved and the run resumes"
      )
      expect(result.stderr).toMatch(/E_QUOTA/)

      // Within the quota: no warning.
      fake.characterLimit = 1000
      const ok = await passerelle(temp.root, ['translate', '--engine', 'deepl', '--to', 'en', '--no-progress'], env)
      expect(ok.stderr).toBe('')
      expect(ok.code).toBe(0)
    } finally {
      await fake.close()
    }
  })

  const hasSeeds = needsShared('seeds', 'the CLI workflow from ingest (test/cli.test.ts)')
  it.runIf(hasSeeds)('runs the whole workflow through the CLI: ingest, translate, XLIFF, TMX, TBX and PO round trips, qa, build', async () => {
    temp = await tempProject()
    const seeds = seedsDir
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

  it('prints its version, and exits 2 on every usage error', async () => {
    temp = await tempProject({'content/fr/a.md': good})
    const version = await passerelle(temp.root, ['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toBe(JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')).version)
    for (const args of [
      ['nope'],
      ['status', '--nope'],
      ['translate', '--max-chars', 'abc'],
      ['build', '--min-state', 'final'],
      ['translate', '--engine', 'babel'],
      ['ingest'],
      ['tm', 'export', 'out.tmx'],
      []
    ]) {
      const result = await passerelle(temp.root, args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr, args.join(' ')).toMatch(/error: |Usage: /)
    }
  })

  it('refuses a requested locale with nothing to check, show or publish (exit 1)', async () => {
    temp = await tempProject({'content/fr/a.md': good})
    await passerelle(temp.root, ['translate', '--engine', 'pseudo', '--to', 'en'])
    for (const command of ['qa', 'status', 'build']) {
      const result = await passerelle(temp.root, [command, '--to', 'it'])
      expect(result.code, command).toBe(1)
      expect(result.stderr, command).toMatch(/^passerelle: locales\/it\/: no bundles for 'it': nothing to \w+ \(E_NOT_FOUND\) — run `passerelle translate --to it`/)
    }
    expect((await passerelle(temp.root, ['qa', '--to', 'en'])).code).toBe(0)
  })

  it('shows machine, human-translated, reviewed and approved apart in the status headline', async () => {
    temp = await tempProject({'content/fr/a.md': good})
    await passerelle(temp.root, ['translate', '--engine', 'pseudo', '--to', 'en'])
    const path = join(temp.root, 'locales', 'en', 'a.json')
    const bundle = JSON.parse(await readFile(path, 'utf8')) as {segments: {state: string}[]}
    bundle.segments[0]!.state = 'reviewed'
    await temp.write('locales/en/a.json', JSON.stringify(bundle, null, 2) + '\n')
    const status = await passerelle(temp.root, ['status'])
    expect(status.stdout.split('\n')[0]).toBe('en: 2 segments, 1 machine (50.0 %), 0 human-translated, 1 reviewed (50.0 %), 0 approved; term adherence 100.0 %')
  })

  it('reports a system error as one coded line naming the path', async () => {
    temp = await tempProject({'content/fr/a.md': good})
    const path = join(temp.root, 'content', 'fr', 'a.md', 'x.md')
    const result = await passerelle(temp.root, ['segment', path])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`passerelle: ${path}: a part of the path is a file, not a folder (E_NOT_DIRECTORY) — check each folder along ${path}: one of them is a file\n`)
  })

  it('ends quietly when the reader of its output goes away (| head -1)', async () => {
    temp = await tempProject({'content/fr/big.md': bigArticle(2000)})
    const script = `node ${JSON.stringify(bin)} segment ${JSON.stringify(join(temp.root, 'content', 'fr', 'big.md'))} | head -1; echo "exit \${PIPESTATUS[0]}" >&2`
    const {stdout, stderr} = await run('bash', ['-c', script], {encoding: 'utf8', maxBuffer: 1 << 26})
    expect(stdout).toBe('[\n')
    expect(stderr).toBe('exit 0\n')
  })
})

/** A long French article: `paragraphs` distinct paragraphs of three sentences. */
function bigArticle(paragraphs: number): string {
  const body = Array.from(
    {length: paragraphs},
    (_, index) =>
      `Le conseil municipal numéro ${index} a discuté de la migration et du développement durable avec les autorités locales. ` +
      `Les participants ont présenté ${index + 3} propositions pour améliorer l’accueil des personnes en déplacement. ` +
      `La réunion suivante aura lieu dans la ville de Malines au printemps.`
  )
  return `---\ntitle: Un long article\n---\n\n${body.join('\n\n')}\n`
}

const hasApertium = (() => {
  try {
    return execFileSync('apertium', ['-l'], {encoding: 'utf8'}).includes('spa-eng')
  } catch {
    return false
  }
})()

/** Live processes (not zombies waiting for a reaper) whose process group is `group`. */
function processesIn(group: number): number[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], {encoding: 'utf8'})
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, pgid, stat]) => Number(pgid) === group && !stat!.startsWith('Z'))
    .map(([pid]) => Number(pid))
}

/** Children of `parent` (ps: pid and ppid of every process). */
function childrenOf(parent: number): number[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid='], {encoding: 'utf8'})
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, ppid]) => ppid === parent)
    .map(([pid]) => pid!)
}

describe('passerelle stops what it started when it is told to', {timeout: 240_000}, () => {
  it('closes the review server on SIGTERM to its PID', async () => {
    temp = await tempProject({'content/fr/a.md': good})
    const child = spawn(process.execPath, [bin, '-C', temp.root, 'review', '--port', '0'], {stdio: ['ignore', 'pipe', 'pipe']})
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL')
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    let url: string | undefined
    for (let waited = 0; !url && waited < 60_000; waited += 100) {
      url = /passerelle review: (http:\/\/\S+)/.exec(output)?.[1]
      if (!url) await sleep(100)
    }
    expect(url, output).toBeTruthy()
    expect((await fetch(url!)).status).toBe(200)
    child.kill('SIGTERM')
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(143)
    await expect(fetch(url!)).rejects.toThrow()
  })

  it.runIf(hasApertium || process.env.CI)('leaves no Apertium process behind after SIGINT to a translate run', async () => {
    temp = await tempProject({'content/fr/big.md': bigArticle(1500)})
    const child = spawn(process.execPath, [bin, '-C', temp.root, 'translate', '--engine', 'apertium', '--to', 'en', '--no-progress'], {stdio: 'ignore'})
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL')
    })
    // The apertium script is the CLI's child and leads its own process group, with the
    // pipeline (lt-proc, cg-proc…) in it: wait for a translation pipeline to be running.
    let groups: number[] = []
    for (let waited = 0; waited < 120_000; waited += 100) {
      groups = childrenOf(child.pid!)
      if (groups.flatMap(processesIn).length > 2) break
      await sleep(100)
    }
    expect(groups.flatMap(processesIn).length).toBeGreaterThan(2)
    child.kill('SIGINT')
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(130)
    await sleep(200)
    expect(groups.flatMap(processesIn)).toEqual([])
  })
})
