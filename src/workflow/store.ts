// The bundle repository: locale bundles validated on the way in, serialised
// in a stable order on the way out. `updateBundle` is the only code that
// writes a bundle: under the file lock it reads the bundle on disk, applies
// the caller's change, keeps what someone else changed meanwhile (by segment
// revision), validates, and writes atomically only when the text changed.
import {readFile, readdir} from 'node:fs/promises'
import {join, relative} from 'node:path'
import type {Project} from '../config.ts'
import {asPasserelleError, PasserelleError} from '../errors.ts'
import {writeFileAtomic, writeIfChanged} from '../io/atomic.ts'
import {withFileLocks} from '../io/lock.ts'
import {bundleInSchemaOrder, bundleSchema, bundleSegmentSchema, isBundleFast} from './schema.ts'
import type {Bundle, BundleSegment} from './types.ts'

export {bundleSchemaVersion, parseOrigin} from './schema.ts'

export function bundlePath(localesDir: string, locale: string, slug: string): string {
  return join(localesDir, locale, `${slug}.json`)
}

/** Parse and validate bundle text; `file` names it in errors. */
export function parseBundle(text: string, file: string): Bundle {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new PasserelleError('E_BUNDLE', `bundle is not valid JSON (${(error as Error).message})`, {
      file,
      hint: 'fix the JSON by hand or restore the file from version control'
    })
  }
  // The cheap check first (status reads every bundle); zod decides, and words the error, when it says no.
  // Key order is left as the file has it: `serializeBundle` puts it in schema order on the way out.
  if (isBundleFast(data)) return data
  const result = bundleSchema.safeParse(data)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue ? issue.path.join('.') : ''
    throw new PasserelleError('E_BUNDLE', `bundle does not match the schema at ${where || 'top level'}: ${issue?.message ?? 'invalid'}`, {
      file,
      hint: 'fix the field or restore the file from version control'
    })
  }
  return result.data
}

/** Stable text form: schema key order, two-space indent, final newline. Throws `E_BUNDLE` for an invalid bundle. */
export function serializeBundle(bundle: Bundle, file = `${bundle.locale}/${bundle.article}.json`): string {
  // The hand check and copy first (a run saves after every batch); zod words the error when it says no.
  const ordered = bundleInSchemaOrder(bundle)
  if (ordered) return JSON.stringify(ordered, null, 2) + '\n'
  const result = bundleSchema.safeParse(bundle)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue ? issue.path.join('.') : ''
    throw new PasserelleError('E_BUNDLE', `refusing to write an invalid bundle: ${where || 'top level'}: ${issue?.message ?? 'invalid'}`, {
      file,
      hint: 'this is a bug in Passerelle; the file on disk was left as it was'
    })
  }
  return JSON.stringify(result.data, null, 2) + '\n'
}

/**
 * One segment checked against the bundle schema before a store writes it
 * alone (the database's one-segment save): the schema's own form of it, or
 * `E_BUNDLE` as `serializeBundle` words it. The rest of the bundle is not
 * read, so its checks stay with `serializeBundle`.
 */
export function checkSegment(segment: BundleSegment, file: string): BundleSegment {
  const result = bundleSegmentSchema.safeParse(segment)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new PasserelleError('E_BUNDLE', `refusing to write an invalid segment: ${issue?.path.join('.') || segment.id}: ${issue?.message ?? 'invalid'}`, {
      file,
      hint: 'this is a bug in Passerelle; the stored bundle was left as it was'
    })
  }
  return result.data as BundleSegment
}

export async function loadBundle(path: string, display = path): Promise<Bundle | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return parseBundle(text, display)
}

/** The locales that have a folder under `localesDir`. */
export async function listBundleLocales(localesDir: string): Promise<string[]> {
  const entries = await readdir(localesDir, {withFileTypes: true}).catch(() => [])
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
}

/** The article slugs that have a bundle for `locale`. */
export async function listBundleSlugs(localesDir: string, locale: string): Promise<string[]> {
  const entries = await readdir(join(localesDir, locale)).catch(() => [])
  return entries.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)).sort()
}

/**
 * Every bundle of a locale (or those of `slugs`) that reads and validates;
 * each one that does not is a problem, and the others still load.
 */
export async function loadLocaleBundles(
  localesDir: string,
  locale: string,
  options: {slugs?: readonly string[]; display?: (path: string) => string} = {}
): Promise<{bundles: Bundle[]; problems: PasserelleError[]}> {
  const bundles: Bundle[] = []
  const problems: PasserelleError[] = []
  for (const slug of options.slugs ?? (await listBundleSlugs(localesDir, locale))) {
    const path = bundlePath(localesDir, locale, slug)
    try {
      const bundle = await loadBundle(path, options.display ? options.display(path) : path)
      if (bundle) bundles.push(bundle)
    } catch (error) {
      problems.push(
        asPasserelleError(error) ?? new PasserelleError('E_BUNDLE', `cannot read bundle: ${(error as Error).message}`, {file: path, hint: 'check the file permissions'})
      )
    }
  }
  return {bundles, problems}
}

/** Where bundles live; `root`, when given, makes file names in errors relative to it. */
export type BundleHome = Pick<Project, 'localesDir'> & Partial<Pick<Project, 'root'>>

/** Segment id → revision, as the caller read them: its changes were made against these. */
export type Revisions = ReadonlyMap<string, number>

export interface UpdateOptions {
  /**
   * The revisions the caller's change was computed from, when it was computed
   * from an earlier read (a long `translate` run). A segment whose revision on
   * disk differs was changed by someone else meanwhile: their version wins.
   * Without it, `fn` sees the bundle as it is on disk now and nothing is merged.
   */
  base?: Revisions
  /**
   * The text the caller last wrote (or read) and the bundle it holds: while
   * the file still reads exactly so, it is neither parsed nor validated again
   * (a long `translate` saves the same bundles after every batch). With the
   * text's UTF-8 `bytes` (as the last write gave them), the file is compared
   * byte for byte and not even decoded.
   */
  known?: {text: string; bundle: Bundle; bytes?: Uint8Array}
}

export interface UpdatedBundle {
  path: string
  /** The bundle as it now stands on disk (undefined: there is none). */
  bundle: Bundle | undefined
  written: boolean
  /** The file's text as this update left it (undefined when the update left the file alone). */
  text?: string
  /** That text in UTF-8, when the store encoded it to write it (the files). */
  bytes?: Uint8Array
  /** The store's stamp of what this write left, when the store has it without asking again (the database: the header's xmin). */
  stamp?: string
}

/**
 * Lock, read, apply `fn`, merge by revision, validate, write atomically.
 * `fn` gets the bundle on disk (undefined when there is none) and gives back
 * the new bundle, or undefined to leave the file as it is. An unreadable
 * bundle throws before `fn` runs: it may hold human work.
 */
export async function updateBundle(
  home: BundleHome,
  locale: string,
  slug: string,
  fn: (current: Bundle | undefined) => Bundle | undefined,
  options: UpdateOptions = {}
): Promise<UpdatedBundle> {
  const path = bundlePath(home.localesDir, locale, slug)
  return withFileLocks([path], async () => {
    const {known} = options
    if (!known) {
      const current = await loadBundle(path, displayOf(home, path))
      return writeUpdate(home, path, current, fn(current), options)
    }
    const raw = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw error
    })
    // The same bytes as last written are the same text: no need to decode them to compare.
    const text = raw === undefined ? undefined : known.bytes !== undefined && raw.equals(known.bytes) ? known.text : raw.toString('utf8')
    const unchanged = text !== undefined && text === known.text
    const current = text === undefined ? undefined : unchanged ? known.bundle : parseBundle(text, displayOf(home, path))
    // Nobody wrote it since: nothing to merge, and the text on disk is the one to compare with.
    return writeUpdate(home, path, current, fn(current), unchanged ? {} : options, text)
  })
}

/**
 * Several bundles of one locale in one step (an XLIFF file spans articles):
 * all locked from read to write, in a fixed order. `fn` gets those that read
 * (unreadable ones are in `problems`, and left alone) and gives back the
 * bundles to write.
 */
export async function updateBundles(
  home: BundleHome,
  locale: string,
  slugs: readonly string[],
  fn: (loaded: {bundles: Bundle[]; problems: PasserelleError[]}) => readonly Bundle[]
): Promise<UpdatedBundle[]> {
  const paths = slugs.map((slug) => bundlePath(home.localesDir, locale, slug))
  return withFileLocks(paths, async () => {
    const loaded = await loadLocaleBundles(home.localesDir, locale, {slugs, display: (path) => displayOf(home, path)})
    const results: UpdatedBundle[] = []
    for (const next of fn(loaded)) {
      if (next.locale !== locale || !slugs.includes(next.article)) {
        throw new PasserelleError('E_BUNDLE', `bundle ${next.locale}/${next.article} was not locked for this update`, {hint: 'this is a bug in Passerelle'})
      }
      const path = bundlePath(home.localesDir, locale, next.article)
      const current = loaded.bundles.find((bundle) => bundle.article === next.article)
      results.push(await writeUpdate(home, path, current, next, {}))
    }
    return results
  })
}

async function writeUpdate(
  home: BundleHome,
  path: string,
  current: Bundle | undefined,
  proposed: Bundle | undefined,
  options: UpdateOptions,
  /** The file's text as just read under the lock, when the caller has it. */
  onDisk?: string
): Promise<UpdatedBundle> {
  const prepared = prepareUpdate(current, proposed, options, displayOf(home, path))
  if (!prepared) return {path, bundle: current, written: false}
  if (onDisk === undefined) return {path, bundle: prepared.next, written: await writeIfChanged(path, prepared.text), text: prepared.text}
  if (onDisk === prepared.text) return {path, bundle: prepared.next, written: false, text: prepared.text}
  // Encoded once: written, and kept by the caller to compare the file with next time.
  const bytes = Buffer.from(prepared.text, 'utf8')
  await writeFileAtomic(path, bytes)
  return {path, bundle: prepared.next, written: true, text: prepared.text, bytes}
}

/**
 * The pure step every bundle store takes between read and write: nothing to
 * do (undefined), or the merged bundle (by revision, when `base` is given),
 * validated, with its canonical text. Throws `E_BUNDLE` for an invalid one.
 */
export function prepareUpdate(
  current: Bundle | undefined,
  proposed: Bundle | undefined,
  options: UpdateOptions,
  display: string
): {next: Bundle; text: string} | undefined {
  if (proposed === undefined || proposed === current) return undefined
  const next = current && options.base ? mergeByRevision(proposed, current, options.base) : proposed
  return {next, text: serializeBundle(next, display)}
}

/**
 * `ours` computed against `base`; `theirs` on disk now. A segment whose
 * revision on disk is not the one we started from was changed by someone
 * else (a reviewer saving while a run went on): their version is kept, at
 * the position our reconciliation gave it. Applies to retired segments too:
 * a sentence we retired may have been approved meanwhile.
 */
export function mergeByRevision(ours: Bundle, theirs: Bundle, base: Revisions): Bundle {
  const onDisk = new Map([...theirs.retired, ...theirs.segments].map((segment) => [segment.id, segment]))
  const keepTheirs = (segment: BundleSegment): BundleSegment => {
    const other = onDisk.get(segment.id)
    const changedMeanwhile = other !== undefined && other.revision !== (base.get(segment.id) ?? 0)
    return changedMeanwhile ? {...other, ...positionOf(segment)} : segment
  }
  return {...ours, segments: ours.segments.map(keepTheirs), retired: ours.retired.map(keepTheirs)}
}

/** The revisions of every segment of a bundle, live and retired. */
export function revisionsOf(bundle: Bundle | undefined): Map<string, number> {
  return new Map([...(bundle?.segments ?? []), ...(bundle?.retired ?? [])].map((segment) => [segment.id, segment.revision]))
}

function positionOf(segment: BundleSegment): Pick<BundleSegment, 'hash' | 'unit' | 'kind' | 'index' | 'source' | 'tags'> {
  return {hash: segment.hash, unit: segment.unit, kind: segment.kind, index: segment.index, source: segment.source, tags: segment.tags}
}

function displayOf(home: BundleHome, path: string): string {
  return home.root === undefined ? path : relative(home.root, path)
}
