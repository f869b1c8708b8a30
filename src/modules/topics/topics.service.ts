import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import type { PageRequest } from '../../lib/pagination.ts';
import { countPublishedByTopic } from '../datasets/datasets.repository.ts';
import { browsePublished } from '../datasets/datasets.service.ts';
import { findTopicBySlug, listTopics } from './topics.repository.ts';

export async function listTopicsWithCounts(db: Queryable) {
  const [topics, counts] = await Promise.all([listTopics(db), countPublishedByTopic(db)]);
  return topics.map((topic) => ({ topic, count: counts.get(topic.id) ?? 0 }));
}

export async function getTopicWithDatasets(db: Queryable, slug: string, page: PageRequest) {
  const topic = await findTopicBySlug(db, slug);
  if (!topic) throw notFound('errors.topic_not_found');
  const datasets = await browsePublished(db, { topicId: topic.id }, page, 'name');
  return { topic, datasets };
}
