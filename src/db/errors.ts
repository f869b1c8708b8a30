/** PostgreSQL error codes, read through Drizzle's wrapper (the driver's error is its `cause`). */
function postgresCode(error: unknown): string | undefined {
  const candidate = error as { code?: string; cause?: { code?: string } } | null;
  return candidate?.cause?.code ?? candidate?.code;
}

export const isUniqueViolation = (error: unknown) => postgresCode(error) === '23505';
