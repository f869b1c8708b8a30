import { integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';

/** Topic groups (Nhóm chủ đề) of the open data catalogue: the public browses by these. */
export const topics = pgTable('topics', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  nameVi: text('name_vi').notNull().unique(),
  nameEn: text('name_en').notNull(),
  descriptionVi: text('description_vi').notNull().default(''),
  descriptionEn: text('description_en').notNull().default(''),
  displayOrder: integer('display_order').notNull().default(0),
});

export type Topic = typeof topics.$inferSelect;
export type NewTopic = typeof topics.$inferInsert;
