import type { GraceDays, Period } from '../catalogue/deadlines.ts';
import { addDays } from '../../lib/calendar.ts';
import { assessPeriods, isPeriodic, periodContaining, vietnamDay } from '../catalogue/deadlines.ts';
import type { UpdateFrequency } from '../datasets/datasets.table.ts';

/**
 * The quality score of a dataset, after uData's (data.gouv.fr) criteria. Each criterion passes or
 * fails; the score is the share that passes. Pure functions of what the repository loads, so each
 * criterion is tested on its own.
 */
export const qualityCriteria = [
  'licence',
  'temporal_coverage',
  'spatial_coverage',
  'frequency',
  'updated_on_time',
  'description',
  'open_format',
  'links_reachable',
  'resources_documented',
] as const;
export type QualityCriterion = (typeof qualityCriteria)[number];

export const minimumDescriptionLength = 100;

export interface QualityResource {
  id: string;
  name: string;
  format: string;
  description: string;
  /** An address the resource points to (a link), null for an uploaded file. */
  url: string | null;
  /** The last check of that address: null when not checked yet. */
  linkCheck: { ok: boolean; status: number | null } | null;
}

export interface QualityInput {
  licence: string;
  temporalCoverage: string;
  spatialCoverage: string;
  description: string;
  updateFrequency: UpdateFrequency | null;
  /** The frequency of the dataset's catalogue entry, when it has one. */
  entryFrequency: UpdateFrequency | null;
  firstPublishedAt: Date | null;
  publishedAt: Date[];
  resources: QualityResource[];
  grace: GraceDays;
  now: Date;
}

/**
 * Licences that let anyone reuse the data: the province's own terms (an empty licence field, see
 * /terms) and the usual open licences. "NC" and "ND" variants restrict reuse and are not open.
 */
export function isOpenLicence(licence: string): boolean {
  const text = licence.trim().toLowerCase();
  if (text === '') return true;
  if (/\b(nc|nd)\b|non-?commercial|no-?deriv|phi thương mại/.test(text)) return false;
  return /cc[\s-]?by|cc[\s-]?0|cc[\s-]?zero|creative commons|odbl|odc[\s-]?by|pddl|open government licen[cs]e|etalab|giấy phép (dữ liệu )?mở|public domain/.test(text);
}

/** Non-proprietary, machine-readable formats (three stars and more). */
const openFormats = new Set(['CSV', 'TSV', 'JSON', 'GEOJSON', 'XML', 'ODS', 'KML', 'GML', 'GPX', 'PARQUET', 'WMS', 'WFS', 'API', 'RDF', 'TTL', 'JSONLD', 'JSON-LD', 'NT', 'N3']);
/** Formats that use URIs to name things (four stars). */
const linkedFormats = new Set(['RDF', 'TTL', 'JSONLD', 'JSON-LD', 'NT', 'N3']);
/** Structured but proprietary formats (two stars). */
const structuredFormats = new Set(['XLS', 'XLSX', 'DBF', 'MDB', 'ACCDB', 'SHP', 'SAV', 'DTA']);

const normalFormat = (format: string) => format.trim().toUpperCase().replace(/^\./, '');

/**
 * The five-star openness level of one resource (Tim Berners-Lee's scheme): 0 without an open licence;
 * 1 any format; 2 structured; 3 non-proprietary; 4 RDF with URIs. Five stars needs links to other
 * people's data, which a format cannot tell, so it is never awarded automatically.
 */
export function opennessStars(format: string, openLicence: boolean): number {
  if (!openLicence) return 0;
  const value = normalFormat(format);
  if (linkedFormats.has(value)) return 4;
  if (openFormats.has(value)) return 3;
  if (structuredFormats.has(value)) return 2;
  return 1;
}

/**
 * Updated on time: the last period whose update window has closed was not missed. Periods whose window
 * is still open do not count yet; "when it changes" and unpublished datasets have nothing to miss.
 */
export function updatedOnTime(input: Pick<QualityInput, 'updateFrequency' | 'firstPublishedAt' | 'publishedAt' | 'grace' | 'now'>): boolean {
  if (!isPeriodic(input.updateFrequency) || !input.firstPublishedAt) return true;
  const { updateFrequency: frequency, grace } = input;
  const today = vietnamDay(input.now);
  // The last closed period is the current one or the one before it (whose due date has passed), so
  // periods are assessed from the one before that: a weekly dataset of ten years had 500 of them
  // assessed on every uncached view of its page.
  const before = (period: Period) => periodContaining(frequency, addDays(period.start, -1), grace);
  const twoBefore = before(before(periodContaining(frequency, today, grace)));
  const firstPublished = vietnamDay(input.firstPublishedAt);
  const periods = assessPeriods({
    frequency,
    grace,
    publishedOn: input.publishedAt.map(vietnamDay),
    // The later of the two days (ISO dates sort as text).
    since: [firstPublished, twoBefore.start].sort()[1],
    today,
  });
  const closed = periods.filter((period) => period.status !== 'open');
  return closed.at(-1)?.status !== 'overdue';
}

export interface QualityResult {
  checks: Array<{ criterion: QualityCriterion; passed: boolean }>;
  passed: number;
  total: number;
  /** 0 to 100. */
  score: number;
  resources: Array<{ id: string; name: string; format: string; stars: number }>;
  /** The best level among the resources: what the dataset offers at most. */
  stars: number;
  /** Links whose last check failed, for the officer to fix. */
  brokenLinks: Array<{ name: string; url: string; status: number | null }>;
}

export function assessQuality(input: QualityInput): QualityResult {
  const openLicence = isOpenLicence(input.licence);
  const brokenLinks = input.resources
    .filter((resource) => resource.url && resource.linkCheck && !resource.linkCheck.ok)
    .map((resource) => ({ name: resource.name, url: resource.url ?? '', status: resource.linkCheck?.status ?? null }));
  const passes: Record<QualityCriterion, boolean> = {
    licence: openLicence,
    temporal_coverage: input.temporalCoverage.trim() !== '',
    spatial_coverage: input.spatialCoverage.trim() !== '',
    // Set, and the same as the catalogue entry the dataset publishes, which sets its deadlines.
    frequency: input.updateFrequency !== null && (input.entryFrequency === null || input.entryFrequency === input.updateFrequency),
    updated_on_time: updatedOnTime(input),
    description: [...input.description.trim()].length >= minimumDescriptionLength,
    open_format: input.resources.some((resource) => openFormats.has(normalFormat(resource.format))),
    links_reachable: brokenLinks.length === 0,
    resources_documented: input.resources.length > 0 && input.resources.every((resource) => resource.description.trim() !== ''),
  };
  const checks = qualityCriteria.map((criterion) => ({ criterion, passed: passes[criterion] }));
  const passed = checks.filter((check) => check.passed).length;
  const resources = input.resources.map((resource) => ({ id: resource.id, name: resource.name, format: resource.format, stars: opennessStars(resource.format, openLicence) }));
  return {
    checks,
    passed,
    total: checks.length,
    score: Math.round((passed / checks.length) * 100),
    resources,
    stars: Math.max(0, ...resources.map((resource) => resource.stars)),
    brokenLinks,
  };
}
