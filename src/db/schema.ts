// Every Drizzle table, gathered for drizzle-kit and for the typed database client.
export * from '../modules/agencies/agencies.table.ts';
export * from '../modules/datasets/datasets.table.ts';
export * from '../modules/resources/resources.table.ts';
export * from '../modules/settings/settings.table.ts';
export * from '../modules/topics/topics.table.ts';
export * from '../modules/accounts/accounts.table.ts';
export * from '../modules/audit/audit.table.ts';
export * from '../modules/sessions/sessions.table.ts';
export * from '../modules/reviews/reviews.table.ts';
export * from '../modules/search/search.table.ts';
export * from '../modules/stats/stats.table.ts';
export * from '../modules/feedback/feedback.table.ts';
export * from '../modules/api-tokens/api-tokens.table.ts';
export * from '../modules/catalogue/catalogue.table.ts';
export * from '../modules/catalogue/targets.table.ts';
export * from '../modules/catalogue/reminders.table.ts';
export * from '../modules/shared-state/shared-state.table.ts';
