// Exported XLIFF validated by xmllint against the official OASIS XLIFF 2.0
// core schema, as Debian ships it in php-symfony-translation (installed by
// scripts/setup.sh). XLIFF 2.1 keeps the 2.0 core namespace and schema.
import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseBundle} from '../src/workflow/store.ts'
import {exportXliff} from '../src/exchange/index.ts'
import {readFileSync} from 'node:fs'
import {repoRoot} from './helpers/project.ts'

const debianSchemas = '/usr/share/php/Symfony/Component/Translation/Resources/schemas'
const available = existsSync(join(debianSchemas, 'xliff-core-2.0.xsd'))

/** The XSD imports xml.xsd by a relative path the Debian layout does not have: stage both. */
function stagedSchema(): string {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-xsd-'))
  mkdirSync(join(dir, 'informativeCopiesOf3rdPartySchemas', 'w3c'), {recursive: true})
  copyFileSync(join(debianSchemas, 'xliff-core-2.0.xsd'), join(dir, 'xliff-core-2.0.xsd'))
  copyFileSync(join(debianSchemas, 'xml.xsd'), join(dir, 'informativeCopiesOf3rdPartySchemas', 'w3c', 'xml.xsd'))
  return join(dir, 'xliff-core-2.0.xsd')
}

function validate(schema: string, text: string): {status: number | null; stderr: string} {
  const file = join(mkdtempSync(join(tmpdir(), 'passerelle-xlf-')), 'out.xlf')
  writeFileSync(file, text)
  const result = spawnSync('xmllint', ['--noout', '--schema', schema, file], {encoding: 'utf8'})
  return {status: result.status, stderr: result.stderr}
}

describe.runIf(available || process.env.CI)('XLIFF against the OASIS XLIFF 2.0 core XSD', () => {
  // Its own fixture (Apertium output for the site navigation and one article), not the
  // committed locales/, whose content changes with every translate run.
  it('validates the export of real bundles, per locale', () => {
    const schema = stagedSchema()
    for (const locale of ['en', 'es']) {
      const dir = join(repoRoot, 'test', 'fixtures', 'exchange', 'xsd', locale)
      const bundles = readdirSync(dir).map((name) => parseBundle(readFileSync(join(dir, name), 'utf8'), name))
      const result = validate(schema, exportXliff(bundles, {sourceLocale: 'fr', targetLocale: locale}))
      expect(result.stderr).toMatch(/validates\s*$/)
      expect(result.status).toBe(0)
    }
  })

  it('validates an export full of inline codes (links, emphasis, code, images, breaks)', () => {
    const path = join(repoRoot, 'test', 'fixtures', 'exchange', 'oim-villes.en.json')
    const bundle = parseBundle(readFileSync(path, 'utf8'), path)
    const text = exportXliff([bundle], {sourceLocale: 'fr', targetLocale: 'en'})
    expect(text).toMatch(/<pc id=/)
    expect(text).toMatch(/<ph id=/)
    const result = validate(stagedSchema(), text)
    expect(result.stderr).toMatch(/validates\s*$/)
    expect(result.status).toBe(0)
  })

  it('rejects a file that breaks the schema (the check can fail)', () => {
    const schema = stagedSchema()
    const text = readFileSync(join(repoRoot, 'test', 'fixtures', 'exchange', 'oim-villes.en.xlf'), 'utf8')
    expect(validate(schema, text).status).toBe(0)
    const broken = validate(schema, text.replace('<segment id=', '<segment bogus="1" id='))
    expect(broken.status).not.toBe(0)
    expect(broken.stderr).toMatch(/bogus/)
  })
})
