// The few words the templates need, per language (the page's, not the
// variant's: en-GB uses en). Unknown languages get English.
export interface Labels {
  skip: string
  menu: string
  languages: string
  back: string
  feed: string
  articles: string
  empty: string
  /** Shown above an article that still has passages in the source language. */
  fallbackNote: string
  translatedFrom: string
}

const labels: Record<string, Labels> = {
  en: {
    skip: 'Skip to content',
    menu: 'Menu',
    languages: 'Languages',
    back: 'All articles',
    feed: 'Atom feed',
    articles: 'Articles',
    empty: 'No articles are published in this language yet.',
    fallbackNote: 'Some passages of this article are not translated yet and are shown in French.',
    translatedFrom: 'Translated from French.'
  },
  fr: {
    skip: 'Aller au contenu',
    menu: 'Menu',
    languages: 'Langues',
    back: 'Tous les articles',
    feed: 'Flux Atom',
    articles: 'Articles',
    empty: 'Aucun article n’est encore publié dans cette langue.',
    fallbackNote: 'Certains passages de cet article ne sont pas encore traduits et sont affichés en français.',
    translatedFrom: 'Traduit du français.'
  },
  es: {
    skip: 'Ir al contenido',
    menu: 'Menú',
    languages: 'Idiomas',
    back: 'Todos los artículos',
    feed: 'Canal Atom',
    articles: 'Artículos',
    empty: 'Todavía no hay artículos publicados en este idioma.',
    fallbackNote: 'Algunos pasajes de este artículo aún no están traducidos y se muestran en francés.',
    translatedFrom: 'Traducido del francés.'
  },
  ca: {
    skip: 'Ves al contingut',
    menu: 'Menú',
    languages: 'Idiomes',
    back: 'Tots els articles',
    feed: 'Canal Atom',
    articles: 'Articles',
    empty: 'Encara no hi ha cap article publicat en aquesta llengua.',
    fallbackNote: 'Alguns passatges d’aquest article encara no estan traduïts i es mostren en francès.',
    translatedFrom: 'Traduït del francès.'
  }
}

export function labelsFor(locale: string): Labels {
  return labels[new Intl.Locale(locale).language] ?? labels.en!
}

/** A language's own name, capitalised: `English`, `Español`, `Français`. */
export function languageName(locale: string): string {
  const name = new Intl.DisplayNames([locale], {type: 'language', languageDisplay: 'standard'}).of(new Intl.Locale(locale).language) ?? locale
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1)
}
