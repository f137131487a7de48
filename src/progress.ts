// One progress bar per locale on a terminal; silent when output is piped
// (CI logs get the summary lines instead).
import cliProgress from 'cli-progress'

export interface Progress {
  update(locale: string, done: number, total: number): void
  stop(): void
}

export function createProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return {update() {}, stop() {}}
  const bars = new cliProgress.MultiBar(
    {format: '{locale} |{bar}| {value}/{total} segments', hideCursor: true, clearOnComplete: false, stream},
    cliProgress.Presets.shades_classic
  )
  const byLocale = new Map<string, cliProgress.SingleBar>()
  return {
    update(locale, done, total) {
      let bar = byLocale.get(locale)
      if (!bar) {
        bar = bars.create(total, 0, {locale: locale.padEnd(5)})
        byLocale.set(locale, bar)
      }
      bar.setTotal(total)
      bar.update(done, {locale: locale.padEnd(5)})
    },
    stop() {
      bars.stop()
    }
  }
}
