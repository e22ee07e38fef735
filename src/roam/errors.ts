// Roam's error envelope: {status:false, msg, code, error:{ErrorCode, ErrorMessage, details?}}, as documented
// in Roam's (GeoSpark-era) error responses. An unknown user is GS400 with HTTP 400, as Roam answers it.
import type { ApiError, RenderError } from '../platform/errors.js'
import type { RoamError } from '../../generated/schemas.js'

export const renderRoamError: RenderError = (error) => {
  const body = roamError(error)
  return { status: body.code, body, headers: retryAfter(error) }
}

/** A 429 or 503 says when to come back, in the header (and a 429, as DRF words it, in the body). */
function retryAfter (error: ApiError): Record<string, string> | undefined {
  return error.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(error.retryAfterSeconds) }
}

function roamError (error: ApiError): RoamError {
  switch (error.kind) {
    case 'validation':
      return envelope(400, 'Error Occured.', 'GS402', 'Invalid request', error.fields)
    case 'unauthorized':
      return envelope(401, error.message, 'GS401', 'Invalid Api key', error.message)
    case 'precondition_failed':
      return envelope(412, 'Error Occured.', 'GS400', 'Precondition failed', error.message)
    case 'too_large':
      return envelope(413, 'Error Occured.', 'GS400', 'Request body is too large', error.message)
    case 'uri_too_long':
      return envelope(414, 'Error Occured.', 'GS400', 'Request URI is too long', error.message)
    case 'media_type':
      return envelope(415, 'Error Occured.', 'GS400', 'Unsupported media type', error.message)
    case 'rate_limited':
      return envelope(429, 'Request was throttled.', 'GS400', 'Too many requests',
        `Request was throttled. Expected available in ${error.retryAfterSeconds ?? 1} seconds.`)
    case 'header_too_large':
      return envelope(431, 'Error Occured.', 'GS400', 'Request header fields are too large', error.message)
    case 'internal':
      return envelope(500, 'Unknown Error.', 'GS400', 'An error occured')
    case 'unavailable':
      return envelope(503, 'Service Unavailable.', 'GS400', 'Service temporarily unavailable', error.message)
    case 'not_found':
      return envelope(400, 'Error Occured.', 'GS400', 'An error occured', error.message)
    case 'no_route':
      return envelope(404, 'Error Occured.', 'GS400', 'Not found', error.message)
    case 'method_not_allowed':
      return envelope(405, 'Error Occured.', 'GS400', 'Method not allowed', error.message)
    default:
      return envelope(400, 'Error Occured.', 'GS400', 'Invalid request', error.message)
  }
}

function envelope (
  code: number,
  msg: string,
  ErrorCode: RoamError['error']['ErrorCode'],
  ErrorMessage: string,
  details?: RoamError['error']['details']
): RoamError {
  return { status: false, msg, code, error: details === undefined ? { ErrorCode, ErrorMessage } : { ErrorCode, ErrorMessage, details } }
}
