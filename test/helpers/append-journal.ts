// A separate process appending history events, for the journal's
// concurrency and crash tests: `tsx append-journal.ts <file> <writer> <count>`.
import {appendJournal} from '../../src/workflow/journal.ts'

const [file, writer, count] = process.argv.slice(2)
for (let index = 0; index < Number(count); index++) {
  await appendJournal(file!, [{type: 'comment', segment: 'abcdefabcdef', comment: `${writer}${String(index).padStart(6, '0')}`.slice(0, 12).padEnd(12, '0'), at: new Date().toISOString(), by: writer, text: `${writer} ${index} ${'x'.repeat(200)}`}])
}
