import {writeIfChanged} from '../io/atomic.ts'
import type {Bundle} from './schema.ts'
import {serializeBundle} from './store.ts'

/** Validate, serialise and write atomically; returns whether the file changed. */
export async function saveBundle(path: string, bundle: Bundle): Promise<boolean> {
  return writeIfChanged(path, serializeBundle(bundle))
}
