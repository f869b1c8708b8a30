import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import type { PageRequest } from '../../lib/pagination.ts';
import { countPublishedByTopic } from '../datasets/datasets.repository.ts';
import { browsePublished } from '../datasets/datasets.service.ts';
import { findTopicBySlug, listTopics } from './topics.repository.ts';

/** Every topic group with its number of published datasets; pass counts already read to spare the query. */
export async function listTopicsWithCounts(db: Queryable, counts?: Promise<Map<string, number>>) {
  const [topics, byTopic] = await Promise.all([listTopics(db), counts ?? countPublishedByTopic(db)]);
  return topics.map((topic) => ({ topic, count: byTopic.get(topic.id) ?? 0 }));
}

export async function getTopicWithDatasets(db: Queryable, slug: string, page: PageRequest) {
  const topic = await findTopicBySlug(db, slug);
  if (!topic) throw notFound('errors.topic_not_found');
  const datasets = await browsePublished(db, { topicId: topic.id }, page, 'name');
  return { topic, datasets };
}
