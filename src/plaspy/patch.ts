// PATCH /api/users/{userId}: an RFC 6902 JSON Patch over the user's writable wire representation. rfc6902 rather
// than fast-json-patch: it is still released (fast-json-patch's 3.1.1 is from 2022), typed, tested against the
// json-patch test suite, guards prototype keys, and reports a failure per operation instead of throwing midway.
// The patched document must pass the very schema PUT's body passes; anything wrong with the patch itself gets
// one answer, "Invalid patch operation".
import { applyPatch, Pointer, type Operation } from 'rfc6902'
import { ApiError, toApiError } from '../platform/errors.js'
import { deeperThan, MAX_JSON_DEPTH } from '../platform/json-body.js'
import { bodyAjv } from '../platform/validation.js'
import { PlaspyUserInput, type PlaspyJsonPatch } from '../../generated/schemas.js'
import { writableFields } from './wire.js'

export const invalidPatch = () => new ApiError('bad_request', 'Invalid patch operation')

/** As large as a PUT body may be: a patch cannot build a user that no PUT could send. */
export const MAX_PATCHED_BYTES = 64 * 1024

const tooLarge = () => new ApiError('bad_request', `Invalid patch operation: the patched user would exceed ${MAX_PATCHED_BYTES} bytes or ${MAX_JSON_DEPTH} levels.`)

const validateUserInput = bodyAjv().compile<PlaspyUserInput>(PlaspyUserInput)

/** The user input `patch` makes of `document`, validated like a PUT body. `document` is left as it was. */
export function applyUserPatch (document: PlaspyUserInput, patch: PlaspyJsonPatch): PlaspyUserInput {
  if (!patch.every(staysInWritableFields)) throw invalidPatch()
  const patched = structuredClone(document)
  if (!applies(patched, patch as Operation[])) throw invalidPatch()
  if (!validateUserInput(patched)) throw toApiError({ validation: validateUserInput.errors, validationContext: 'body' })
  return patched
}

/**
 * Applies the patch in place, one operation at a time; false if any operation failed. rfc6902 reports a failing
 * `test`, a missing target or a bad op per operation, and throws on some malformed ones (a `move` without `from`).
 * A `copy` can double the document (a container copied into itself), so its size and depth are checked after
 * every operation: each one starts from a bounded document, so none can build more than twice the bound.
 */
function applies (document: PlaspyUserInput, patch: Operation[]): boolean {
  for (const operation of patch) {
    try {
      if (applyPatch(document, [operation])[0] !== null) return false
    } catch {
      return false
    }
    if (deeperThan(document, MAX_JSON_DEPTH) || Buffer.byteLength(JSON.stringify(document)) > MAX_PATCHED_BYTES) throw tooLarge()
  }
  return true
}

function staysInWritableFields ({ path, from }: PlaspyJsonPatch[number]): boolean {
  return isWritablePointer(path) && (from === undefined || isWritablePointer(from))
}

/** `/name`, `/tags/role`, `/privileges/0`; never the whole document, a server-owned field or a prototype key. */
function isWritablePointer (pointer: string): boolean {
  let tokens: string[]
  try {
    tokens = Pointer.fromJSON(pointer).tokens
  } catch {
    return false // not a JSON Pointer
  }
  const [, field, ...rest] = tokens
  return field !== undefined && writableFields.has(field) && !rest.some((token) => prototypeKeys.has(token))
}

const prototypeKeys = new Set(['__proto__', 'constructor', 'prototype'])
