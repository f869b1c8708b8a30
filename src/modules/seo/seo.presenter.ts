import { localized } from '../../lib/localized.ts';
import type { SiteSettings } from '../settings/settings.defaults.ts';
import type { DatasetPageView } from '../datasets/datasets.presenter.ts';

/** JSON for a <script type="application/ld+json"> block: "<" is escaped so no text can close the element. */
export function safeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** schema.org Dataset, so search engines (and Google Dataset Search) understand the page. */
export function datasetJsonLd(dataset: DatasetPageView, absoluteUrl: (path: string) => string, site: SiteSettings, locale: 'vi' | 'en') {
  return {
    '@context': 'https://schema.org',
    '@type': 'Dataset',
    name: dataset.title,
    description: dataset.description,
    url: absoluteUrl(dataset.url),
    keywords: dataset.tags,
    isAccessibleForFree: true,
    // schema.org wants the address of a licence: a dataset's own licence when it is one, else the terms page.
    license: /^https?:\/\//.test(dataset.licence) ? dataset.licence : absoluteUrl('/terms'),
    inLanguage: locale,
    creator: { '@type': 'GovernmentOrganization', name: dataset.agency.name, url: absoluteUrl(dataset.agency.url) },
    publisher: { '@type': 'GovernmentOrganization', name: localized(site, 'operatorName', locale) },
    datePublished: dataset.firstPublishedAt?.toISOString(),
    dateModified: dataset.publishedAt?.toISOString(),
    temporalCoverage: dataset.temporalCoverage || undefined,
    spatialCoverage: dataset.spatialCoverage || undefined,
    distribution: dataset.resources
      .filter((resource) => !resource.isLink)
      .map((resource) => ({ '@type': 'DataDownload', name: resource.name, encodingFormat: resource.format, contentUrl: absoluteUrl(resource.href) })),
  };
}

/** The citation users must give (782 Art. 10.2), from DOIT's template. */
export function citation(template: string, values: { agency: string; title: string; portal: string; url: string; date: string }): string {
  return template.replace(/\{(agency|title|portal|url|date)\}/g, (_match, name: keyof typeof values) => values[name]);
}
