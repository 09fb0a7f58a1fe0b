/** Validates a raw call against the contract and runs its handler; shared by IPC and HTTP. */
import { api, type ApiHandlers, type ApiResult, type MethodName } from './api';
import { ApiErrorDetailsSchema, type ApiErrorDetails } from './api-error';
import { illFormedPath } from './text';

export class ApiError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    /** Typed facts the caller needs to act on the error (a conflict's current revision). */
    public readonly details?: ApiErrorDetails,
  ) {
    super(message);
  }
}

/** The error as it travels; details are parsed with their schema, so both transports send the one shape. */
function errorResult(err: ApiError): ApiResult<unknown> {
  if (err.details === undefined) return { ok: false, error: { code: err.code, message: err.message } };
  const details = ApiErrorDetailsSchema.safeParse(err.details);
  if (!details.success) return { ok: false, error: { code: 'internal', message: `${err.code} with malformed details: ${err.message}` } };
  return { ok: false, error: { code: err.code, message: err.message, details: details.data } };
}

function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

export async function dispatch(handlers: ApiHandlers, name: string, raw: unknown): Promise<ApiResult<unknown>> {
  if (!isMethodName(name)) return { ok: false, error: { code: 'unknown_method', message: `Unknown method ${name}` } };
  const bad = illFormedPath(raw);
  if (bad) {
    const where = bad.join('.') || '(root)';
    return { ok: false, error: { code: 'invalid_input', message: `Invalid input for ${name}: ${where}: contains an unpaired surrogate (ill-formed UTF-16)` } };
  }
  const parsed = api[name].input.safeParse(raw ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'invalid_input', message: `Invalid input for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, issues: parsed.error.issues },
    };
  }
  try {
    const handler = handlers[name] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof ApiError) return errorResult(err);
    return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
  }
}
