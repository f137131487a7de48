// The compiled CLI run as a user runs it: a separate process, `-C <project>`, optional stdin.
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {repoRoot} from './project.ts'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** `passerelle -C <root> <args…>` with `input` on stdin; resolves with the exit code and both outputs. */
export function runCli(root: string, args: string[], input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'passerelle.js'), '-C', root, ...args], {stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? -1, stdout, stderr}))
    child.stdin.end(input)
  })
}
