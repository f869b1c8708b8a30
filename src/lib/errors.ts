/**
 * Errors a user can cause. They carry a translation key, not a sentence, so the error handler can
 * answer in the visitor's language: an HTML page in the portal's layout, or JSON for the API.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
    /** The form field the message belongs next to, when there is one. */
    readonly field?: string,
  ) {
    super(`${code}: ${messageKey}`);
  }
}

export const notFound = (messageKey = 'errors.not_found', params?: Record<string, string | number>) =>
  new AppError(404, 'not_found', messageKey, params);

export const badRequest = (messageKey: string, params?: Record<string, string | number>) =>
  new AppError(400, 'bad_request', messageKey, params);

export const forbidden = (messageKey = 'errors.forbidden', params?: Record<string, string | number>) =>
  new AppError(403, 'forbidden', messageKey, params);

export const conflict = (messageKey: string, params?: Record<string, string | number>) =>
  new AppError(409, 'conflict', messageKey, params);

/** A refusal about one form field: the form re-renders with the sentence next to that field. */
export const fieldError = (field: string, messageKey: string, statusCode = 422, params?: Record<string, string | number>) =>
  new AppError(statusCode, 'invalid_input', messageKey, params, field);
