/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The terminologist's rules editor (#/rules?locale=es): the post-edit rules
// of one target locale, one row per rule, saved whole. The server checks each
// rule's example before writing, as `translate` does when it loads the file.
import type {RulesData} from '../rules.ts'
import {api, ApiFailure, path} from './api.ts'
import {h, languageName, plural, replace} from './dom.ts'
import type {ViewContext} from './main.ts'

type RuleRow = RulesData['rules'][number]

export async function rulesView(main: HTMLElement, context: ViewContext): Promise<void> {
  const locales = context.project.locales
  const locale = context.params.get('locale') && locales.includes(context.params.get('locale')!) ? context.params.get('locale')! : locales[0]
  if (!locale) {
    replace(main, h('div', {class: 'empty'}, 'No target locale configured.'))
    return
  }
  const picker = h('select', {id: 'rules-locale', 'aria-label': 'Target locale'}, locales.map((item) => h('option', {value: item}, languageName(item))))
  picker.value = locale
  picker.addEventListener('change', () => (location.hash = `#/rules?locale=${encodeURIComponent(picker.value)}`))
  const status = h('div', {class: 'rules-status', role: 'status'})
  const body = h('tbody')
  let data = await api<RulesData>('GET', path('rules', locale))

  const row = (rule?: RuleRow): HTMLTableRowElement => {
    const input = (name: string, value: string, label: string) => h('input', {type: 'text', name, value, 'aria-label': label})
    const stage = h('select', {name: 'stage', 'aria-label': 'Stage'}, h('option', {value: 'target'}, 'post-edit (target)'), h('option', {value: 'source'}, 'pre-edit (source)'))
    stage.value = rule?.stage ?? 'target'
    const kind = h('select', {name: 'kind', 'aria-label': 'Match kind'}, h('option', {value: 'match'}, 'literal'), h('option', {value: 'pattern'}, 'token pattern'))
    kind.value = rule?.pattern !== undefined ? 'pattern' : 'match'
    const ignoreCase = h('input', {type: 'checkbox', name: 'ignoreCase', 'aria-label': 'Ignore case'})
    ignoreCase.checked = rule?.ignoreCase === true
    const tr = h(
      'tr',
      {'data-rule': rule?.id ?? ''},
      h('td', {class: 'left'}, input('id', rule?.id ?? '', 'Rule id'), rule ? h('div', {class: 'muted small'}, `line ${rule.line}`) : null),
      h('td', {class: 'left'}, stage),
      h('td', {class: 'left'}, kind, input('find', rule?.match ?? rule?.pattern ?? '', 'Text or pattern to find'), h('label', {class: 'small'}, ignoreCase, ' ignore case')),
      h('td', {class: 'left'}, input('replace', rule?.replace ?? '', 'Replacement')),
      h('td', {class: 'left'}, input('note', rule?.note ?? '', 'Note')),
      h('td', {class: 'left'}, input('input', rule?.example.input ?? '', 'Example input'), input('expected', rule?.example.expected ?? '', 'Example expected output')),
      h('td', null, h('button', {type: 'button', class: 'button-small', onclick: () => tr.remove()}, 'Remove'))
    )
    return tr
  }

  const collect = () =>
    [...body.querySelectorAll('tr')].map((tr) => {
      const value = (name: string) => (tr.querySelector(`[name="${name}"]`) as HTMLInputElement | HTMLSelectElement).value
      const find = value('find')
      return {
        id: value('id').trim(),
        stage: value('stage'),
        ...(value('kind') === 'pattern' ? {pattern: find} : {match: find}),
        replace: value('replace'),
        ...((tr.querySelector('[name="ignoreCase"]') as HTMLInputElement).checked ? {ignoreCase: true} : {}),
        note: value('note'),
        example: {input: value('input'), expected: value('expected')}
      }
    })

  const render = () => {
    replace(body, data.rules.map((rule) => row(rule)))
    replace(
      status,
      data.problems.length > 0 ? h('div', {class: 'banner banner-warning'}, h('strong', null, 'Rules left out'), h('ul', null, data.problems.map((problem) => h('li', null, problem)))) : null,
      h('span', {class: 'muted'}, `${plural(data.rules.length, 'rule')} in ${data.file}`)
    )
  }

  const save = async () => {
    try {
      data = await api<RulesData>('PUT', path('rules', locale), {version: data.version, rules: collect()})
      render()
      status.append(h('span', {class: 'saved'}, ' Saved.'))
    } catch (error) {
      const message = error instanceof ApiFailure ? `${error.body.error.message}${error.body.error.hint ? ` — ${error.body.error.hint}` : ''}` : String(error)
      status.append(h('div', {class: 'banner banner-error', role: 'alert'}, message))
    }
  }

  replace(
    main,
    h('div', {class: 'toolbar'}, h('h1', null, 'Machine-output rules'), picker),
    h('p', {class: 'muted'}, 'Applied to machine output only. A literal matches whole words; in a token pattern `*` stands for one word, `$1`… in the replacement. Each example must give its expected text.'),
    status,
    h(
      'table',
      {class: 'grid rules-table'},
      h('thead', null, h('tr', null, ['Id', 'Stage', 'Find', 'Replace', 'Note', 'Example → expected', ''].map((title) => h('th', {class: 'left'}, title)))),
      body
    ),
    h(
      'div',
      {class: 'toolbar'},
      h('button', {type: 'button', id: 'rules-add', onclick: () => body.append(row())}, 'Add rule'),
      h('button', {type: 'button', id: 'rules-save', class: 'primary', onclick: () => void save()}, 'Save rules')
    )
  )
  render()
}
