// Every XLIFF file under ../shared/conformance, through `passerelle validate`
// (our core rules, the Metadata and Format Style modules, and xmllint
// against the OASIS XSD when installed) and through the import's reader.
// The OASIS XLIFF 2.1 suite says per folder what a file is; the MateCat,
// Okapi and Weblate files have their expected outcome below, one per file.
// The counts printed here are the README's "Interoperability" table.
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {PasserelleError} from '../src/errors.ts'
import {validateFile} from '../src/exchange/validate.ts'
import {parseXliff, type XliffDocument} from '../src/exchange/xliff/import.ts'
import {commentsFromNotes} from '../src/exchange/xliff/comments.ts'
import {decodeText} from '../src/io/read-text.ts'
import {repoRoot} from './helpers/project.ts'

const conformance = resolve(repoRoot, '..', 'shared', 'conformance', 'xliff')
const present = existsSync(conformance)
if (!present) console.log(`conformance-xliff: SKIPPED, ${conformance} is absent (the shared conformance files are not in this checkout)`)

const suite = join(conformance, 'oasis-xliff-21-test-suite')
/** XLIFF documents of a folder; the suite's `extra-prefixes.properties` (its registry of extension prefixes) is not one. */
function documents(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => statSync(join(folder, name)).isFile() && /\.(xlf|xliff|xliff2)$/.test(name))
    .sort()
}

function read(path: string): XliffDocument {
  return parseXliff(decodeText(readFileSync(path), path, {encoding: 'xml'}), path)
}

/** Segments the import can read (the others are refused one by one, with their reason). */
function readable(document: XliffDocument): {segments: number; readable: number} {
  const segments = document.files.flatMap((file) => file.units.flatMap((unit) => unit.segments))
  return {segments: segments.length, readable: segments.filter((segment) => !segment.problem && !segment.sourceProblem && !segment.targetProblem).length}
}

// The modules Passerelle reads or writes: Metadata (each segment's revision travels in <mda:metadata>).
const modulesWeUse = new Set(['mda'])

describe.runIf(present)('OASIS XLIFF 2.1 test suite', () => {
  for (const folder of ['core/valid', 'core/in-out', 'modules/valid']) {
    it(`accepts every file in ${folder}, and the import reads it`, async () => {
      const files = documents(join(suite, folder))
      expect(files.length).toBeGreaterThan(0)
      let segments = 0
      let readableSegments = 0
      for (const name of files) {
        const {problems} = await validateFile(join(suite, folder, name))
        expect(problems, `${folder}/${name}`).toEqual([])
        const counts = readable(read(join(suite, folder, name)))
        segments += counts.segments
        readableSegments += counts.readable
      }
      console.log(`conformance-xliff: ${folder}: ${files.length}/${files.length} accepted; import reads ${readableSegments}/${segments} segments`)
    })
  }

  it('rejects every file in core/invalid, naming a line and column', async () => {
    const files = documents(join(suite, 'core/invalid'))
    for (const name of files) {
      const {problems} = await validateFile(join(suite, 'core/invalid', name))
      expect(problems.length, `core/invalid/${name}`).toBeGreaterThan(0)
      for (const problem of problems) {
        expect(problem.line).toBeGreaterThan(0)
        expect(problem.column).toBeGreaterThan(0)
      }
    }
    console.log(`conformance-xliff: core/invalid: ${files.length}/${files.length} rejected`)
  })

  it('rejects every file in modules/invalid for a module Passerelle reads or writes (Metadata)', async () => {
    const files = documents(join(suite, 'modules/invalid'))
    let ours = 0
    let rejected = 0
    for (const name of files) {
      const module = /^Bad-([a-z]+)[_-]/.exec(name)?.[1]
      const {problems} = await validateFile(join(suite, 'modules/invalid', name))
      if (problems.length > 0) rejected++
      if (module !== undefined && modulesWeUse.has(module)) {
        ours++
        expect(problems.map((problem) => problem.code), `modules/invalid/${name}`).toContain('xliff-module')
      }
    }
    expect(ours).toBeGreaterThan(0)
    console.log(`conformance-xliff: modules/invalid: ${ours}/${ours} Metadata files rejected; ${rejected}/${files.length} in all`)
  })
})

// What each third-party file gets: 'accepted' (valid, and the import reads it), or refused with this reason.
const expectations: Record<string, Record<string, 'accepted' | RegExp>> = {
  matecat: {
    '1111_prova.md.xlf': 'accepted',
    'blank-dataRef.xliff': 'accepted',
    'char-limit.xliff': 'accepted',
    'empty.xliff': /<file> needs <unit> or <group>/,
    'no-trgLang.xliff': /trgLang="" is not a valid language tag/,
    'notes-after-segment.xliff': /<file> has no attribute "source-language"/,
    'pc-slash.xlf': /dataRefStart and dataRefEnd go together/,
    'pcec.xlf': 'accepted',
    'prova.md.xlf': 'accepted',
    'sample-20-segmented.xlf': /xml:space="space" is not a valid value/,
    'sample-20-with-group.xlf': /<group> needs a "id" attribute/,
    'sample-20-with-nested-group.xlf': /<group> needs a "id" attribute/,
    'sample-20.xlf': 'accepted',
    'size-restriction.xliff': 'accepted',
    'test-empty-unit-2.0.xliff': /the source's language is "hu-HU", not srcLang "en"/,
    'uber-v2.xliff': /<mda:metadata>/,
    'uber__%s.xliff.xliff': 'accepted',
    'uber__&.xliff.xliff': 'accepted',
    'uber__2020-09-25T07_54_17.292_8bdea7c8-fef3-11ea-83a6-e9686d2c65d2.xliff_(3).xliff': 'accepted',
    'uber__2020-10-13T21:16:55.732_a81546b0-0d88-11eb-83e4-a433ca39afdb.xliff.xliff': 'accepted',
    'uber__39.xliff.xliff': 'accepted',
    'uber__39_bis.xliff.xliff': 'accepted',
    'uber__39f87a30-bliss_saved_reply_content-en_us-ar-PM.xlf': 'accepted',
    'uber__55384cd-uber-sites-en_us-ar-H.xlf': 'accepted',
    'uber__55384cd-uber-sites-en_us-ar-H_STRIPPED.xlf': 'accepted',
    'uber__56d591a5-louvre-v2-en_us-fr_fr-PM.xlf': 'accepted',
    'uber__7cf155ce-rtapi-en_us-bn_bd-H.xlf': 'accepted',
    'uber__SpotCheck-en_us-es_419-H.xlf': 'accepted',
    'uber__apos.xliff.xliff': 'accepted',
    'uber__source_with_placeholder.xliff': 'accepted',
    'uber__test_Localization_Manual_Template_for_Global_-_Wrong_courier_process-en_us-mr_in-H.xlf': 'accepted',
    'uber__test_Localization_Manual_Template_for_Global_-_Wrong_courier_process-en_us-mr_in-H_STRIPPED.xlf': 'accepted',
    'uber__test_Localization_Manual_Template_for_Global_-_Wrong_courier_process-en_us-mr_in-H_STRIPPED_MULTI.xlf': 'accepted',
    'uber__test_ca90b38a-tach-en_us-es_419-H.xlf': 'accepted',
    'uber__uber-counts.xliff': /dataRefStart and dataRefEnd go together/,
    'v2-duplicate-ids.xliff': /unit id "tu1" is used twice/,
    'valid_sample-20-translation-candidates.xlf': /translate="test" is not a valid value/,
    'with-segment-state.xliff': /prefix "memsource" of <memsource:taskId> is not declared/,
    'xliff-20-with-mda.xlf': 'accepted',
    'xliff20-without-notes-or-original-data.xliff': 'accepted',
    'xliff_20_with_g_tags_in_dataref.xlf': 'accepted'
  },
  okapi: {
    'escaped.xlf': 'accepted',
    'test01.xlf': 'accepted'
  },
  weblate: {
    // Segments without id: read, and matched by unit and position at import.
    'cs.xliff2': 'accepted'
  }
}

describe.runIf(present)('XLIFF 2 files written by CAT tools', () => {
  for (const [tool, files] of Object.entries(expectations)) {
    it(`${tool}: every file gets its expected outcome`, async () => {
      const folder = join(conformance, tool)
      // Every file on disk has an expectation, and every expectation a file.
      expect(documents(folder)).toEqual(Object.keys(files).sort())
      let accepted = 0
      let segments = 0
      let readableSegments = 0
      for (const [name, expected] of Object.entries(files)) {
        const {problems} = await validateFile(join(folder, name))
        if (expected === 'accepted') {
          expect(problems, `${tool}/${name}`).toEqual([])
          const counts = readable(read(join(folder, name)))
          expect(counts.segments, `${tool}/${name}`).toBeGreaterThan(0)
          segments += counts.segments
          readableSegments += counts.readable
          accepted++
        } else {
          expect(problems.map((problem) => problem.message).join('\n'), `${tool}/${name}`).toMatch(expected)
        }
      }
      const refused = Object.keys(files).length - accepted
      console.log(`conformance-xliff: ${tool}: ${accepted} accepted, ${refused} refused with the expected reason; import reads ${readableSegments}/${segments} segments of the accepted files`)
    })
  }

  it("reads Weblate's segments without id, in order", () => {
    const document = read(join(conformance, 'weblate', 'cs.xliff2'))
    const segments = document.files.flatMap((file) => file.units.flatMap((unit) => unit.segments))
    expect(segments.length).toBeGreaterThan(0)
    for (const segment of segments) {
      expect(segment.id).toBeUndefined()
      expect(segment.position).toBe(1)
    }
  })

  it('an invalid third-party file is refused with E_XLIFF naming its line, never a crash', () => {
    let error: unknown
    try {
      read(join(conformance, 'matecat', 'empty.xliff'))
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(PasserelleError)
    expect((error as PasserelleError).message).toMatch(/^line \d+: <file> needs <unit> or <group>/)
  })

  it('comment annotations of the OASIS suite reach their sentence as comments, with or without a segment id', () => {
    const text = readFileSync(join(suite, 'core', 'valid', 'withCommentAnnotations.xlf'), 'utf8')
    const known = {ids: new Set<string>(), texts: new Map<string, Set<string>>()}
    for (const [label, file] of [
      ['with its id', text],
      ['without an id', text.replace('<segment id="1">', '<segment>')]
    ] as const) {
      const unit = parseXliff(file, `withCommentAnnotations.xlf (${label})`).files[0]!.units[0]!
      const events = commentsFromNotes(unit, known, {at: '2017-03-07T00:00:00.000Z', idOf: (segment) => (segment.position === 1 ? 'abcdefabcdef' : undefined)})
      const segment = label === 'with its id' ? '1' : 'abcdefabcdef'
      expect(events.map((event) => [event.segment, event.text]), label).toEqual([
        [segment, 'note'],
        [segment, 'the comment']
      ])
    }
  })
})
