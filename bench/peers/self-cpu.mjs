// Loaded with `node --import` in front of the CLI: at exit, writes the CPU
// time of this Node process alone (user + system, not its children, so not
// the Apertium pipelines it runs) to the file named by PASSERELLE_SELF_CPU.
import {writeFileSync} from 'node:fs'

const file = process.env.PASSERELLE_SELF_CPU
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    writeFileSync(file, String((usage.userCPUTime + usage.systemCPUTime) / 1e6))
  })
}
