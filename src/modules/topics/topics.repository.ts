import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { type NewTopic, type Topic, topics } from './topics.table.ts';

export async function listTopics(db: Queryable): Promise<Topic[]> {
  return db.select().from(topics).orderBy(asc(topics.displayOrder), asc(topics.nameVi));
}

export async function findTopicBySlug(db: Queryable, slug: string): Promise<Topic | undefined> {
  const [topic] = await db.select().from(topics).where(eq(topics.slug, slug)).limit(1);
  return topic;
}

export async function insertTopics(db: Queryable, rows: NewTopic[]): Promise<Topic[]> {
  if (rows.length === 0) return [];
  return db.insert(topics).values(rows).returning();
}

export async function findTopicById(db: Queryable, id: string): Promise<Topic | undefined> {
  const [topic] = await db.select().from(topics).where(eq(topics.id, id)).limit(1);
  return topic;
}
