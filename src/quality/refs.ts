// Reference sets for `passerelle quality`: a TSV file, one `source<TAB>reference`
// pair per line (the layout of a translation-memory export or of an aligned
// corpus), no header, blank lines ignored.
import {PasserelleError} from '../errors.ts'
import {readTextFile} from '../io/read-text.ts'

export interface ReferencePair {
  source: string
  reference: string
  /** 1-based line in the file, for messages. */
  line: number
}

export function parseReferences(text: string, file: string): ReferencePair[] {
  const pairs: ReferencePair[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return
    const cells = raw.split('\t')
    if (cells.length !== 2 || cells[0]!.trim() === '' || cells[1]!.trim() === '') {
      throw new PasserelleError('E_INPUT', `line ${index + 1}: expected 'source<TAB>reference', found ${cells.length} column(s)`, {
        file,
        hint: 'one pair per line, the French source and its published translation separated by one tab'
      })
    }
    pairs.push({source: cells[0]!.trim(), reference: cells[1]!.trim(), line: index + 1})
  })
  if (pairs.length === 0) throw new PasserelleError('E_EMPTY', 'no source/reference pairs', {file, hint: 'add lines of the form source<TAB>reference'})
  return pairs
}

export async function loadReferences(file: string): Promise<ReferencePair[]> {
  return parseReferences(await readTextFile(file), file)
}
