// Engine registry: the CLI and the review app pick an engine by name.
import type {Config} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import {createApertiumEngine} from './apertium/index.ts'
import {createPseudoEngine} from './pseudo.ts'
import type {Engine} from './types.ts'

import {engineNames} from './names.ts'

export {engineNames, type EngineName} from './names.ts'

export async function createEngine(name: string, config: Config, env: NodeJS.ProcessEnv = process.env): Promise<Engine> {
  switch (name) {
    case 'apertium':
      return createApertiumEngine()
    case 'pseudo':
      return createPseudoEngine()
    case 'deepl': {
      const {deeplEngineFromEnv} = await import('./deepl/index.ts')
      return deeplEngineFromEnv(env, {targets: config.deepl.targets, formality: config.deepl.formality})
    }
    default:
      throw new PasserelleError('E_CONFIG', `unknown engine '${name}'`, {hint: `use one of: ${engineNames.join(', ')}`})
  }
}

export type {Engine, EngineOutput, EngineSegment, TranslateOptions} from './types.ts'
export {createApertiumEngine} from './apertium/index.ts'
export {createPseudoEngine} from './pseudo.ts'
