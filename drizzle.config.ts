import { defineConfig } from 'drizzle-kit';

// drizzle-kit only reads the schema and writes SQL into migrations/; it never connects.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
});
