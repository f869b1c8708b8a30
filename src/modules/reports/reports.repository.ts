import { sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.ts';

/** Per agency, as of `end`: published datasets, the last publication, and cumulative views and downloads. */
export async function agencyPublishing(db: Queryable, end: Date) {
  const result = await db.execute(sql`
    select a.id, a.name, a.active,
      count(distinct d.id) filter (where d.first_published_at < ${end} and (d.withdrawn_at is null or d.withdrawn_at >= ${end}))::int as published,
      (select max(r.published_at) from dataset_revisions r join datasets d2 on d2.id = r.dataset_id
         where d2.agency_id = a.id and r.published_at < ${end}) as last_update,
      coalesce((select sum(v.views) from dataset_views v join datasets d3 on d3.id = v.dataset_id where d3.agency_id = a.id), 0)::int as views,
      coalesce((select sum(x.downloads) from resource_downloads x join datasets d4 on d4.id = x.dataset_id where d4.agency_id = a.id), 0)::int as downloads
    from agencies a left join datasets d on d.agency_id = a.id
    group by a.id, a.name, a.active
    order by a.name`);
  return rowsOf<{ id: string; name: string; active: boolean; published: number; last_update: Date | string | null; views: number; downloads: number }>(result);
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
