// Which segmenter cut a text. Caches of segments (translate's
// .passerelle/cache/segments/) key on it, so that an upgraded Passerelle never
// takes the segments an older one cut. Not a number someone must remember to
// bump: a hash of what decides the cut — this folder's code, the files it
// imports, and the locked versions of the parser packages (package-lock.json).
// scripts/compile.mjs computes it once for the compiled CLI; run from the
// sources (tsx, the tests), it is computed from the same files here.
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

declare const PASSERELLE_SEGMENTER_IDENTITY: string | undefined

/** What decides how a text is cut, relative to the project's code root. */
const inputs = ['src/segment', 'src/types.ts', 'src/errors.ts', 'src/io/read-text.ts', 'package-lock.json']

export function hashSegmenterInputs(root: string): string {
  const hash = createHash('sha256')
  for (const input of inputs) {
    const files = /\.(ts|json)$/.test(input) ? [input] : readdirSync(join(root, input)).filter((name) => name.endsWith('.ts')).sort().map((name) => `${input}/${name}`)
    for (const file of files) {
      let content: Buffer | string
      try {
        content = readFileSync(join(root, file))
      } catch {
        // A missing lock file (a copy without it) is part of the identity too.
        content = 'missing'
      }
      hash.update(`${file}\0`).update(content).update('\0')
    }
  }
  return hash.digest('hex').slice(0, 24)
}

let identity: string | undefined

/** The identity of this segmenter (compiled: fixed at compile time; from the sources: hashed on first use). */
export function segmenterIdentity(): string {
  identity ??= typeof PASSERELLE_SEGMENTER_IDENTITY === 'string' ? PASSERELLE_SEGMENTER_IDENTITY : hashSegmenterInputs(fileURLToPath(new URL('../..', import.meta.url)))
  return identity
}
