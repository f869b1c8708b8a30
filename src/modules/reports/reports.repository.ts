import { sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.ts';

/** Per agency, as of `end`: published datasets and the last publication. */
export async function agencyPublishing(db: Queryable, end: Date) {
  const result = await db.execute(sql`
    select a.id, a.name, a.active,
      count(distinct d.id) filter (where d.first_published_at < ${end} and (d.withdrawn_at is null or d.withdrawn_at >= ${end}))::int as published,
      (select max(r.published_at) from dataset_revisions r join datasets d2 on d2.id = r.dataset_id
         where d2.agency_id = a.id and r.published_at < ${end}) as last_update
    from agencies a left join datasets d on d.agency_id = a.id
    group by a.id, a.name, a.active
    order by a.name`);
  return rowsOf<{ id: string; name: string; active: boolean; published: number; last_update: Date | string | null }>(result);
}

/**
 * Feedback received in the period, per agency: answered by its due day, and overdue (answered after it,
 * or still unanswered once the due day has passed by the report's date).
 */
export async function agencyFeedback(db: Queryable, start: Date, end: Date, asOfDay: string) {
  const result = await db.execute(sql`
    select f.agency_id,
      count(*)::int as received,
      count(*) filter (where f.answered_at is not null and (f.answered_at at time zone 'Asia/Ho_Chi_Minh')::date <= f.due_on)::int as answered_on_time,
      count(*) filter (where (f.answered_at is not null and (f.answered_at at time zone 'Asia/Ho_Chi_Minh')::date > f.due_on)
                          or (f.answered_at is null and f.due_on < ${asOfDay}::date))::int as overdue
    from feedback f
    where f.received_at >= ${start} and f.received_at < ${end} and f.agency_id is not null and f.hidden_at is null
    group by f.agency_id`);
  return rowsOf<{ agency_id: string; received: number; answered_on_time: number; overdue: number }>(result);
}

/**
 * Views and downloads counted on the days of the period (Vietnam calendar days, both ends included),
 * per agency and per topic group of each dataset's published revision: the period's figures, not
 * running totals. Days before per-day counting began have no rows and count as nothing.
 */
export async function periodUse(db: Queryable, firstDay: string, lastDay: string) {
  const result = await db.execute(sql`
    select d.agency_id, r.topic_id, sum(s.views)::int as views, sum(s.downloads)::int as downloads
    from dataset_daily_stats s
    join datasets d on d.id = s.dataset_id
    left join dataset_revisions r on r.id = d.published_revision_id
    where s.day between ${firstDay}::date and ${lastDay}::date
    group by d.agency_id, r.topic_id`);
  return rowsOf<{ agency_id: string; topic_id: string | null; views: number; downloads: number }>(result);
}
