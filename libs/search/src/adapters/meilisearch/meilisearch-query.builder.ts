import { MatchOptions, parseQuery, resolveMatchOptions } from '../../query-terms.parser';

/**
 * The query string that makes Meilisearch honour the match options, whose typo tolerance is an
 * index setting only. A double-quoted word is matched exactly (no typo, no prefix), so
 * `typos=0` quotes every word — except the last one while prefixes are wanted, whose typo
 * matches the search service then drops. A trailing space ends the last word: no prefix.
 *
 * A word printed with inner punctuation (`1,275`, `U.S.A.`, `co-operate`) is always sent as the
 * phrase of its parts (`"1 275"`): unquoted, the engine would look for `1` and `275` anywhere on
 * the page (and mark every `1`), and drop the last parts when the first ones are missing. With
 * the defaults and no such word the query goes through unchanged.
 */
export function buildEngineQuery(folded: string, options: MatchOptions = {}): string {
  const { typos, prefix } = resolveMatchOptions(options);
  const { terms, lastIsPrefix } = parseQuery(folded);
  if (typos !== 0 && prefix && !terms.some((t) => t.compound)) return folded;
  const groups = new Map<number, { quoted: boolean; words: string[] }>();
  for (const term of terms) {
    const group = groups.get(term.group) ?? { quoted: term.phrase || !!term.compound, words: [] };
    group.words.push(term.text);
    groups.set(term.group, group);
  }
  const list = [...groups.values()];
  const parts = list.map((g, i) => {
    const bare = typos !== 0 || (prefix && lastIsPrefix && i === list.length - 1);
    return g.quoted || !bare ? `"${g.words.join(' ')}"` : g.words[0];
  });
  return prefix ? parts.join(' ') : `${parts.join(' ')} `;
}
