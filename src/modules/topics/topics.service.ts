import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import type { PageRequest } from '../../lib/pagination.ts';
import { publishedCounts } from '../datasets/catalogue-summary.ts';
import { browsePublished } from '../datasets/datasets.service.ts';
import { findTopicBySlug, listTopics } from './topics.repository.ts';

/** Every topic group with its number of published datasets. */
export async function listTopicsWithCounts(db: Queryable, counts = publishedCounts(db)) {
  const [topics, { byTopic }] = await Promise.all([listTopics(db), counts]);
  return topics.map((topic) => ({ topic, count: byTopic.get(topic.id) ?? 0 }));
}

export async function getTopicWithDatasets(db: Queryable, slug: string, page: PageRequest) {
  const topic = await findTopicBySlug(db, slug);
  if (!topic) throw notFound('errors.topic_not_found');
  const datasets = await browsePublished(db, { topicId: topic.id }, page, 'name');
  return { topic, datasets };
}
