import { MatchOptions, parseQuery, resolveMatchOptions } from '../../query-terms.parser';

/**
 * The query string that makes Meilisearch honour the match options, whose typo tolerance is an
 * index setting only. A double-quoted word is matched exactly (no typo, no prefix), so
 * `typos=0` quotes every word — except the last one while prefixes are wanted, whose typo
 * matches the search service then drops. A trailing space ends the last word: no prefix. With
 * the defaults the query goes through unchanged.
 */
export function buildEngineQuery(folded: string, options: MatchOptions = {}): string {
  const { typos, prefix } = resolveMatchOptions(options);
  if (typos !== 0 && prefix) return folded;
  const { terms, lastIsPrefix } = parseQuery(folded);
  const groups = new Map<number, { phrase: boolean; words: string[] }>();
  for (const term of terms) {
    const group = groups.get(term.group) ?? { phrase: term.phrase, words: [] };
    group.words.push(term.text);
    groups.set(term.group, group);
  }
  const list = [...groups.values()];
  const parts = list.map((g, i) => {
    const bare = typos !== 0 || (prefix && lastIsPrefix && i === list.length - 1);
    return g.phrase || !bare ? `"${g.words.join(' ')}"` : g.words[0];
  });
  return prefix ? parts.join(' ') : `${parts.join(' ')} `;
}
