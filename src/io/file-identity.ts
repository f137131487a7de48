// A file's identity: what says, without reading it, that a file is still the
// one a previous run read or wrote (git's index does the same). Size, mtime
// and ctime in nanoseconds, and the inode: an atomic rename gives a new
// inode, an edit in place a new mtime and ctime, and restoring the mtime
// afterwards still moves the ctime. One owner for `status`'s cache and the
// build's reuse of its outputs.
import type {BigIntStats} from 'node:fs'
import {open, stat} from 'node:fs/promises'

export interface FileIdentity {
  size: string
  mtime: string
  ctime: string
  ino: string
}

/** An identity as recorded; `ctime` may be left out by a caller that changes it itself (a hard link moves it). */
export type RecordedIdentity = Pick<FileIdentity, 'size' | 'mtime' | 'ino'> & {ctime?: string}

export function identityOf(info: BigIntStats): FileIdentity {
  return {size: String(info.size), mtime: String(info.mtimeNs), ctime: String(info.ctimeNs), ino: String(info.ino)}
}

/** The identity of a regular file; undefined when there is none at `path`. */
export async function fileIdentity(path: string): Promise<FileIdentity | undefined> {
  const info = await stat(path, {bigint: true}).catch(() => undefined)
  return info?.isFile() ? identityOf(info) : undefined
}

/** Whether `now` is the file `recorded` describes (ctime compared when it was recorded). */
export function sameFile(recorded: RecordedIdentity, now: FileIdentity): boolean {
  return recorded.size === now.size && recorded.mtime === now.mtime && recorded.ino === now.ino && (recorded.ctime === undefined || recorded.ctime === now.ctime)
}

/**
 * The file's text and its identity, taken from the same open file: a file
 * replaced meanwhile (atomic rename) is read as it was; one written in place
 * meanwhile gets a new mtime, so the identity returned no longer matches.
 */
export async function readWithIdentity(path: string): Promise<{text: string; identity: FileIdentity}> {
  const handle = await open(path, 'r')
  try {
    const identity = identityOf(await handle.stat({bigint: true}))
    return {text: await handle.readFile('utf8'), identity}
  } finally {
    await handle.close()
  }
}
