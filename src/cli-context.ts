// What a stage needs to register its own subcommands on the `passerelle`
// program: the project (loaded on demand, from --root) and a way to report
// per-file failures, which also sets the exit code to 1.
import type {Project} from './config.ts'
import type {Failure} from './errors.ts'

/** A problem as a command reports it (the shared batch failure). */
export type CliFailure = Failure

export interface CliContext {
  project(): Promise<Project>
  /** Print each failure as one line on stderr and make the exit code 1. */
  report(failures: readonly CliFailure[]): void
  /** Set the exit code (e.g. 1 when `qa` finds errors). */
  fail(code?: number): void
}
