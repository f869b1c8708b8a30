import { formatNumber, type Locale, type Translate } from '../../i18n/i18n.ts';
import { excerpt } from '../../lib/text.ts';
import { type FacetName, facetNames, facetValueToUrl, fold, parseQuery, type SearchHit, type SearchResult } from './search.types.ts';

export interface TextSegment {
  text: string;
  match: boolean;
}

/**
 * The title cut into segments, a word marked when its folded form starts with a query term: the
 * template wraps marked segments in <mark> and escapes everything, so no HTML is built here.
 */
export function highlight(text: string, query: string): TextSegment[] {
  const { terms, lastIsPrefix } = parseQuery(query);
  if (terms.length === 0) return [{ text, match: false }];
  const last = terms.at(-1) ?? '';
  return text
    .split(/(\s+)/)
    .filter((part) => part.length > 0)
    .map((part) => {
      // As the engines match: whole syllables, and the last typed syllable as a prefix.
      const folded = fold(part).replace(/[^a-z0-9]/g, '');
      return { text: part, match: folded.length > 0 && (terms.includes(folded) || (lastIsPrefix && folded.startsWith(last))) };
    });
}

/** An estimate shows two significant digits: 93,412 → "93.000" ("khoảng 93.000 kết quả"). */
function roughly(count: number): number {
  if (count < 100) return count;
  const unit = 10 ** (Math.floor(Math.log10(count)) - 1);
  return Math.round(count / unit) * unit;
}

/** The heading above the results: exact ("12 tập dữ liệu cho …") or an estimate ("khoảng 93.000 kết quả cho …"). */
export function presentCount(result: Pick<SearchResult, 'total' | 'estimated' | 'timedOut'>, query: string, locale: Locale, t: Translate): string {
  if (result.timedOut) return t('search.timed_out');
  if (result.estimated) {
    const count = formatNumber(locale, roughly(result.total));
    return query ? t('search.count_estimate_for', { count, query }) : t('search.count_estimate', { count });
  }
  const count = formatNumber(locale, result.total);
  return query ? t('datasets.count_for', { count, query }) : t('datasets.count', { count });
}

export interface Labels {
  topics: Map<string, { vi: string; en: string }>;
  agencies: Map<string, string>;
}

export function presentHit(hit: SearchHit, query: string, labels: Labels, locale: Locale) {
  const topic = labels.topics.get(hit.topicSlug);
  return {
    url: `/dataset/${hit.slug}`,
    title: hit.title,
    titleSegments: highlight(hit.title, query),
    excerpt: excerpt(hit.description, 200),
    agency: { name: labels.agencies.get(hit.agencySlug) ?? hit.agencySlug, url: `/organization/${hit.agencySlug}` },
    topic: { name: topic ? topic[locale] : hit.topicSlug, url: `/group/${hit.topicSlug}` },
    formats: hit.formats,
    updateFrequency: hit.updateFrequency,
    publishedAt: hit.publishedAt,
  };
}

/** Facets with their labels and the URL that adds or removes each value, keeping the rest of the search. */
export function presentFacets(
  facets: SearchResult['facets'],
  selected: Partial<Record<FacetName, string[]>>,
  currentUrl: URL,
  labels: Labels,
  locale: Locale,
  t: Translate,
  estimated = false,
) {
  const label = (facet: FacetName, value: string) => {
    if (facet === 'topic') return labels.topics.get(value)?.[locale] ?? value;
    if (facet === 'agency') return labels.agencies.get(value) ?? value;
    if (facet === 'frequency') return t(`frequency.${value}`);
    if (facet === 'licence') return value === '' ? t('datasets.default_licence') : value;
    return value;
  };
  // The search's parameters but the page (a changed filter starts again at page 1), read once: a URL
  // object per facet value (up to 90 a page) was a tenth of the search page's rendering.
  const kept = [...currentUrl.searchParams].filter(([key]) => key !== 'page');
  const href = (pairs: Array<[string, string]>) => {
    const search = new URLSearchParams(pairs).toString();
    return search ? `${currentUrl.pathname}?${search}` : currentUrl.pathname;
  };
  return facetNames
    .map((facet) => ({
      name: facet,
      title: t(`search.facet_${facet}`),
      values: facets[facet].slice(0, 15).map(({ value, count }) => {
        const active = selected[facet]?.includes(value) ?? false;
        const param = facetValueToUrl(facet, value);
        const url = href(active ? kept.filter(([key, item]) => key !== facet || item !== param) : [...kept, [facet, param] as [string, string]]);
        const countText = estimated ? t('search.facet_count_estimate', { count: formatNumber(locale, roughly(count)) }) : formatNumber(locale, count);
        return { value, label: label(facet, value), count, countText, active, url };
      }),
    }))
    .filter((facet) => facet.values.length > 0);
}
