// Timing helpers shared by the bench parts that run commands as a user does.
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {performance} from 'node:perf_hooks'

/** User + system CPU of this process's finished children (Linux /proc, 10 ms ticks). */
export function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
  // Fields 16 and 17 of proc(5) (cutime, cstime); index 0 here is field 3.
  return (Number(fields[13]) + Number(fields[14])) / 100
}

/** Run a command to its end; wall and CPU seconds (user + system). */
export function timeCommand(command: string, args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): {seconds: number; cpuSeconds: number} {
  const [start, cpuStart] = [performance.now(), childrenCpuSeconds()]
  execFileSync(command, args, {stdio: 'ignore', cwd: options.cwd, env: options.env, maxBuffer: 1 << 30})
  return {seconds: (performance.now() - start) / 1000, cpuSeconds: childrenCpuSeconds() - cpuStart}
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
