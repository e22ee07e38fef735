// Roam's error envelope: {status:false, msg, code, error:{ErrorCode, ErrorMessage, details?}}, as documented
// in Roam's (GeoSpark-era) error responses. An unknown user is GS400 with HTTP 400, as Roam answers it.
import type { ApiError, RenderError } from '../platform/errors.js'
import type { RoamError } from '../../generated/schemas.js'

export const renderRoamError: RenderError = (error) => {
  const body = roamError(error)
  return { status: body.code, body, headers: retryAfter(error) }
}

/** A 429 says when to come back, in the header and (as DRF words it) in the body. */
function retryAfter (error: ApiError): Record<string, string> | undefined {
  return error.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(error.retryAfterSeconds) }
}

function roamError (error: ApiError): RoamError {
  switch (error.kind) {
    case 'validation':
      return envelope(400, 'Error Occured.', 'GS402', 'Invalid request', error.fields)
    case 'unauthorized':
      return envelope(401, error.message, 'GS401', 'Invalid Api key', error.message)
    case 'too_large':
      return envelope(413, 'Error Occured.', 'GS400', 'Request body is too large', error.message)
    case 'media_type':
      return envelope(415, 'Error Occured.', 'GS400', 'Unsupported media type', error.message)
    case 'rate_limited':
      return envelope(429, 'Request was throttled.', 'GS400', 'Too many requests',
        `Request was throttled. Expected available in ${error.retryAfterSeconds ?? 1} seconds.`)
    case 'internal':
      return envelope(500, 'Unknown Error.', 'GS400', 'An error occured')
    case 'not_found':
      return envelope(400, 'Error Occured.', 'GS400', 'An error occured', error.message)
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
