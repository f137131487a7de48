// French abbreviation data for the sentence splitter. Three classes, because
// a period after an abbreviation means different things:
// - titles precede a name and never end a sentence (`M. Dupont`);
// - internal abbreviations practically never end one (`p. ex.`, `c.-à-d.`);
// - reference abbreviations precede a number (`art. 3`, `chap. IV`) and are
//   ordinary words otherwise (`le vol. Les passagers…`: a flight).
// `etc.` and `J.-C.` are deliberately absent: they often end sentences, and
// the ICU rule (split only before a capitalised word) is right for them.
// Entries are the token before the final period, without it.

/** Case-sensitive: `Me` (maître) is a title, `me` is a pronoun. */
export const titles: ReadonlySet<string> = new Set([
  'M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Mgr', 'Mgrs', 'Me', 'Mes', 'Dr', 'Drs', 'Pr', 'Prs', 'Prof',
  'St', 'Ste', 'Sts', 'Stes', 'Mr', 'Mrs', 'Ms', 'Sr', 'Sgt', 'Gén', 'Col', 'Cdt', 'Lt', 'Cne', 'S.E', 'LL.EE'
])

/** Compared in lower case. */
export const internal: ReadonlySet<string> = new Set([
  'ex', 'p.ex', 'c.-à-d', 'c-à-d', 'c.à.d', 'cf', 'env', 'av', 'apr', 'vs', 'i.e', 'e.g', 'resp', 'approx',
  'tél', 'tel', 'dir', 'op', 'rm', 'bd', 'bât', 'apt'
])

/** Compared in lower case; an abbreviation only when a number or a Roman numeral follows. */
export const beforeNumber: ReadonlySet<string> = new Set([
  'art', 'arts', 'al', 'p', 'pp', 'no', 'nos', 'nº', 'chap', 'ch', 'fig', 'tab', 't', 'sect', 'para', 'par',
  'paragr', 'réf', 'doc', 'vol', 'liv', 'éd', 'janv', 'févr', 'fév', 'avr', 'juil', 'sept', 'oct', 'nov', 'déc'
])

/**
 * Words that typically begin a French sentence. A single capital with a
 * period (`J.`) is taken as an initial unless one of these follows:
 * `de J. Dupont` stays whole, `la vitamine C. Elle…` splits.
 */
export const sentenceStarters: ReadonlySet<string> = new Set([
  'le', 'la', 'les', "l'", 'un', 'une', 'des', 'du', 'de', "d'", 'il', 'elle', 'ils', 'elles', 'on', 'nous',
  'vous', 'je', "j'", 'tu', 'ce', 'cet', 'cette', 'ces', 'cela', 'ceci', 'ça', "c'", 'mais', 'et', 'ou', 'donc',
  'or', 'ni', 'car', 'en', 'dans', 'pour', 'par', 'sur', 'sous', 'avec', 'sans', 'selon', 'depuis', 'après',
  'avant', 'puis', 'ensuite', 'enfin', 'aussi', 'ainsi', 'au', 'aux', 'à', 'quand', 'lorsque', "lorsqu'", 'si',
  'comme', 'son', 'sa', 'ses', 'leur', 'leurs', 'notre', 'nos', 'votre', 'vos', 'mon', 'ma', 'mes', 'tout',
  'tous', 'toute', 'toutes', 'chaque', 'plus', 'cependant', 'toutefois', 'néanmoins', 'pourtant', 'qui', 'que',
  "qu'", 'quoi', 'où', 'voici', 'voilà', 'y', "n'", "s'", 'the', 'this', 'it', 'a', 'an', 'in'
])
