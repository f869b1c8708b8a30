/** PostgreSQL error codes, read through Drizzle's wrapper (the driver's error is its `cause`). */
function postgresCode(error: unknown): string | undefined {
  const candidate = error as { code?: string; cause?: { code?: string } } | null;
  return candidate?.cause?.code ?? candidate?.code;
}

export const isUniqueViolation = (error: unknown) => postgresCode(error) === '23505';
/** The statement timeout (or a cancel request) ended the statement. */
export const isQueryCanceled = (error: unknown) => postgresCode(error) === '57014';
/** EXECUTE of a name the session does not have (DEALLOCATE, DISCARD ALL, a new connection). */
export const isUndefinedPreparedStatement = (error: unknown) => postgresCode(error) === '26000';
