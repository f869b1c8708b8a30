import type { Translate } from '../../i18n/i18n.ts';
import type { Locale } from '../../i18n/i18n.ts';
import { excerpt } from '../../lib/text.ts';
import { type FacetName, facetNames, fold, queryTerms, type SearchHit, type SearchResult } from './search.types.ts';

export interface TextSegment {
  text: string;
  match: boolean;
}

/**
 * The title cut into segments, a word marked when its folded form starts with a query term: the
 * template wraps marked segments in <mark> and escapes everything, so no HTML is built here.
 */
export function highlight(text: string, query: string): TextSegment[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [{ text, match: false }];
  return text
    .split(/(\s+)/)
    .filter((part) => part.length > 0)
    .map((part) => {
      const folded = fold(part).replace(/[^a-z0-9]/g, '');
      return { text: part, match: folded.length > 0 && terms.some((term) => folded.startsWith(term)) };
    });
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
) {
  const label = (facet: FacetName, value: string) => {
    if (facet === 'topic') return labels.topics.get(value)?.[locale] ?? value;
    if (facet === 'agency') return labels.agencies.get(value) ?? value;
    if (facet === 'frequency') return t(`frequency.${value}`);
    if (facet === 'licence') return value === '' ? t('datasets.default_licence') : value;
    return value;
  };
  return facetNames
    .map((facet) => ({
      name: facet,
      title: t(`search.facet_${facet}`),
      values: facets[facet].slice(0, 15).map(({ value, count }) => {
        const active = selected[facet]?.includes(value) ?? false;
        const url = new URL(currentUrl);
        url.searchParams.delete('page');
        if (active) {
          const rest = url.searchParams.getAll(facet).filter((item) => item !== value);
          url.searchParams.delete(facet);
          for (const item of rest) url.searchParams.append(facet, item);
        } else url.searchParams.append(facet, value);
        return { value, label: label(facet, value), count, active, url: `${url.pathname}${url.search}` };
      }),
    }))
    .filter((facet) => facet.values.length > 0);
}
