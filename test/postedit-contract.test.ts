// The post-edit stage wraps an engine: the wrapped engine must still keep the
// engine contract (ids, tags, protected terms, call counting, batching).
import {execFileSync} from 'node:child_process'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {withPostEdit} from '../src/postedit/index.ts'
import {engineContract} from './helpers/engine-contract.ts'
import {repoRoot} from './helpers/project.ts'

const hasApertium = (() => {
  try {
    return execFileSync('apertium', ['-l'], {encoding: 'utf8'}).includes('fr-es')
  } catch {
    return false
  }
})()
if (!hasApertium && !process.env.CI) console.log('postedit-contract.test: skipping (apertium-fr-es not installed)')

if (hasApertium || process.env.CI) {
  const glossaryDir = `${repoRoot}glossary`
  engineContract('apertium with post-edits', () => withPostEdit(createApertiumEngine(), {glossaryDir}), ['es', 'en', 'ca'], {
    refused: {from: 'fr', to: 'de'},
    failing: () => withPostEdit(createApertiumEngine({binary: 'false'}), {glossaryDir})
  })
}
