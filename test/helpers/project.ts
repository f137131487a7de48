// Temporary Passerelle projects for tests: a real folder layout, the real
// glossary unless a test gives its own, and nothing shared between tests.
import {cp, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadProject, type Project} from '../../src/config.ts'

export const repoRoot = new URL('../../', import.meta.url).pathname

export interface TempProject {
  project: Project
  root: string
  write(path: string, text: string | Uint8Array): Promise<void>
  cleanup(): Promise<void>
}

export async function tempProject(files: Record<string, string | Uint8Array> = {}, options: {glossary?: boolean; content?: boolean} = {}): Promise<TempProject> {
  const root = await mkdtemp(join(tmpdir(), 'passerelle-test-'))
  await mkdir(join(root, 'content', 'fr'), {recursive: true})
  if (options.glossary !== false) await cp(join(repoRoot, 'glossary'), join(root, 'glossary'), {recursive: true})
  if (options.content) await cp(join(repoRoot, 'content'), join(root, 'content'), {recursive: true})
  const write = async (path: string, text: string | Uint8Array) => {
    const full = join(root, path)
    await mkdir(join(full, '..'), {recursive: true})
    await writeFile(full, text)
  }
  for (const [path, text] of Object.entries(files)) await write(path, text)
  return {project: await loadProject(root), root, write, cleanup: () => rm(root, {recursive: true, force: true})}
}
