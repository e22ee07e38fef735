// Plaspy's error envelope: {success:false, error, apiUsage?, apiDailyUsage?}. The usage counters appear once
// the request is authenticated (it was counted); a 401 of a bearer-secured operation carries WWW-Authenticate as
// RFC 6750 asks (Auth/Token takes its credentials in the body: no challenge there).
import type { ApiError, RenderError } from '../platform/errors.js'
import { describe } from '../platform/errors.js'
import { requires } from '../platform/security.js'
import type { PlaspyError } from '../../generated/schemas.js'
import type { PlaspyPrincipal } from './auth.js'

export const renderPlaspyError: RenderError<PlaspyPrincipal> = (error, request, principal) => {
  const body: PlaspyError = { success: false, error: message(error), ...principal?.usage }
  if (error.kind === 'rate_limited' || error.kind === 'unavailable') {
    return { body, headers: { 'retry-after': String(error.retryAfterSeconds ?? 1) } as Record<string, string> }
  }
  if (error.kind !== 'unauthorized' || !requires(request, 'PlaspyBearer')) return { body }
  const sentToken = request.headers.authorization !== undefined
  return { body, headers: { 'www-authenticate': sentToken ? 'Bearer error="invalid_token"' : 'Bearer' } }
}

function message (error: ApiError): string {
  if (error.kind === 'rate_limited') return `Too many requests. Retry in ${error.retryAfterSeconds ?? 1} seconds.`
  if (error.kind !== 'validation' || !error.fields) return error.message
  if (error.fields.email?.includes('Enter a valid email address.')) return 'Invalid email address.'
  return `Invalid input. ${describe(error.fields)}`
}
