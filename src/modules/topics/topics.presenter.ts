import { localized } from '../../lib/localized.ts';
import type { Locale } from '../../i18n/i18n.ts';
import type { Topic } from './topics.table.ts';

export interface TopicView {
  slug: string;
  name: string;
  description: string;
  url: string;
  datasetCount: number;
}

export function presentTopic(topic: Topic, locale: Locale, datasetCount = 0): TopicView {
  return {
    slug: topic.slug,
    name: localized(topic, 'name', locale),
    description: localized(topic, 'description', locale),
    url: `/group/${topic.slug}`,
    datasetCount,
  };
}
