// Shared by the ingest tests: temporary folders and tree comparison.
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Root} from 'mdast'
import {afterAll} from 'vitest'
import {parseMarkdown} from '../src/ingest/index.ts'

import {seedsDir} from './helpers/shared.ts'

export {seedsDir}
export const seedNames = [
  '000_f4297a870d5e4fd2.txt',
  '001_1f70ac61dc45ac0b.txt',
  '002_fae19b2a450f9e80.txt',
  '003_d574b86eb03e76ad.txt',
  '004_f92822551191ed11.txt'
] as const
export const seedPaths = seedNames.map((name) => join(seedsDir, name))

/** Seed 004 starts with `Date d’établissement : 2006`: its title line was lost in scraping. */
export const dialogueTitle = 'Dialogue de haut niveau des Nations Unies sur les migrations internationales et le développement'

const folders: string[] = []
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, {recursive: true, force: true})))
})

/** A fresh temporary folder, removed after the test file. */
export async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'passerelle-ingest-'))
  folders.push(folder)
  return folder
}

/** The tree remark-parse gives for `markdown`, without positions, to compare with a built tree. */
export function parsedTree(markdown: string): Root {
  return JSON.parse(JSON.stringify(parseMarkdown(markdown), (key, value: unknown) => (key === 'position' ? undefined : value))) as Root
}
