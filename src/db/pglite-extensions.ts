import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/** What the migrations need of PGlite: accent folding and trigram similarity (typo correction). */
export const pgliteExtensions = { unaccent, pg_trgm };
