import type { Queryable } from '../../db/client.ts';
import { type Actor, agencyFilterOf, authorize } from '../accounts/permissions.ts';
import { findCatalogueInForce } from '../catalogue/catalogue.repository.ts';
import { assessEntry, graceDaysFrom } from '../catalogue/compliance.service.ts';
import { publicationTimes, trackedEntries } from '../catalogue/compliance.repository.ts';
import { vietnamDay } from '../../lib/calendar.ts';
import { targetForYear } from '../catalogue/targets.service.ts';
import type { SiteSettings } from '../settings/settings.defaults.ts';
import { listTopics } from '../topics/topics.repository.ts';
import { endInstant, type ReportPeriod, startInstant } from './report-period.ts';
import { agencyFeedback, agencyPublishing, periodUse } from './reports.repository.ts';

export interface ReportRow {
  id: string;
  name: string;
  entries: number;
  /** Catalogue entries published by the period's end. */
  published: number;
  /** All datasets online at the period's end, in the catalogue or not. */
  datasets: number;
  onTime: number;
  overdue: number;
  lastUpdate: string | null;
  feedbackReceived: number;
  feedbackOnTime: number;
  feedbackOverdue: number;
  views: number;
  downloads: number;
}

const emptyRow = (id: string, name: string): ReportRow => ({
  id,
  name,
  entries: 0,
  published: 0,
  datasets: 0,
  onTime: 0,
  overdue: 0,
  lastUpdate: null,
  feedbackReceived: 0,
  feedbackOnTime: 0,
  feedbackOverdue: 0,
  views: 0,
  downloads: 0,
});

/**
 * DOIT's quarterly report (782 Art. 11): the share of agencies providing open data against the year's
 * target, and per agency and per topic group the catalogue's entries, what is published, updates on
 * time and overdue in the period, feedback and use. Computed from the database as of the period's end,
 * so any past period can be reported again. A leader gets the rows of their own agency.
 */
export async function buildReport(db: Queryable, actor: Actor | null, period: ReportPeriod, site: SiteSettings, now = new Date()) {
  authorize(actor, 'report.read');
  const ownAgency = agencyFilterOf(actor);
  const end = endInstant(period);
  const asOf = now < end ? now : end;
  const asOfDay = vietnamDay(asOf);
  const [publishing, feedback, use, catalogue, target, topics] = await Promise.all([
    agencyPublishing(db, asOf),
    agencyFeedback(db, startInstant(period), end, asOfDay),
    // biome-ignore lint/complexity/useMathMinMax: these are ISO day strings, which Math.min cannot compare
    periodUse(db, period.start, asOfDay < period.end ? asOfDay : period.end),
    findCatalogueInForce(db, period.year),
    targetForYear(db, period.year),
    listTopics(db),
  ]);

  const active = publishing.filter((row) => row.active);
  const publishingCount = active.filter((row) => row.published > 0).length;
  const kpi = {
    publishing: publishingCount,
    total: active.length,
    percent: active.length === 0 ? 0 : Math.round((publishingCount / active.length) * 1000) / 10,
    target,
  };

  const agencies = new Map<string, ReportRow>();
  for (const row of publishing) {
    if (!row.active && row.published === 0) continue;
    agencies.set(row.id, {
      ...emptyRow(row.id, row.name),
      datasets: row.published,
      lastUpdate: row.last_update ? vietnamDay(new Date(row.last_update)) : null,
    });
  }
  for (const row of feedback) {
    const target = agencies.get(row.agency_id);
    if (!target) continue;
    Object.assign(target, { feedbackReceived: row.received, feedbackOnTime: row.answered_on_time, feedbackOverdue: row.overdue });
  }

  const byTopic = new Map(topics.map((topic) => [topic.id, emptyRow(topic.id, topic.nameVi)]));
  for (const row of use) {
    for (const target of [agencies.get(row.agency_id), row.topic_id ? byTopic.get(row.topic_id) : undefined]) {
      if (!target) continue;
      target.views += row.views;
      target.downloads += row.downloads;
    }
  }
  if (catalogue) {
    const entries = await trackedEntries(db, catalogue.id);
    const times = await publicationTimes(db, entries.flatMap((entry) => (entry.datasetId ? [entry.datasetId] : [])));
    const grace = graceDaysFrom(site);
    for (const entry of entries) {
      const published = Boolean(entry.datasetId && entry.firstPublishedAt && entry.firstPublishedAt < asOf);
      // Updates whose due day falls inside the period, judged with what was published by the report's date.
      const periods = published ? assessEntry(entry, (times.get(entry.datasetId ?? '') ?? []).filter((at) => at < asOf), grace, asOfDay) : [];
      const due = periods.filter((item) => item.due >= period.start && item.due <= period.end);
      const onTime = due.filter((item) => item.status === 'on_time').length;
      const overdue = due.filter((item) => item.status === 'late' || item.status === 'overdue').length;
      for (const row of [agencies.get(entry.agencyId), byTopic.get(entry.topicId)]) {
        if (!row) continue;
        row.entries += 1;
        row.published += published ? 1 : 0;
        row.onTime += onTime;
        row.overdue += overdue;
      }
    }
  }

  const agencyRows = [...agencies.values()].filter((row) => !ownAgency || row.id === ownAgency);
  const silent = active.filter((row) => row.published === 0 && (!ownAgency || row.id === ownAgency)).map((row) => row.name);
  return {
    period,
    generatedOn: vietnamDay(now),
    catalogueYear: catalogue?.year ?? null,
    scope: ownAgency ? ('agency' as const) : ('province' as const),
    kpi,
    agencies: agencyRows,
    topics: ownAgency ? [] : [...byTopic.values()].filter((row) => row.entries > 0),
    silent,
  };
}

export type Report = Awaited<ReturnType<typeof buildReport>>;
