// Database rows -> Plaspy's wire format: camelCase, ISO 8601 UTC timestamps with `Z` and second precision,
// `password` always null.
import { PlaspyUserInput, type PlaspyUser } from '../../generated/schemas.js'
import type { PlaspyUserRow } from './users.js'

/** `2023-01-01T00:00:00Z`. */
export function plaspyTimestamp (date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}

function optionalTimestamp (date: Date | null): string | null {
  return date === null ? null : plaspyTimestamp(date)
}

export function toPlaspyUser (user: PlaspyUserRow): PlaspyUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    country: user.country,
    timeZone: user.timeZone,
    description: user.description,
    message: user.message,
    disabled: user.disabled,
    disabledMessage: user.disabledMessage,
    // TypeBox infers `type: [object, null]` as the object alone; the schema itself allows null.
    tags: (user.tags ?? null) as PlaspyUser['tags'],
    privileges: user.privileges as PlaspyUser['privileges'],
    group: user.groupName,
    deviceId: user.deviceId,
    adminDevices: user.adminDevices,
    from: optionalTimestamp(user.validFrom),
    expires: optionalTimestamp(user.validUntil),
    password: null,
    creation: plaspyTimestamp(user.creation),
    modification: plaspyTimestamp(user.modification),
    lastLogin: optionalTimestamp(user.lastLogin)
  }
}

// The input schema accepts these only to ignore them (a client may send back a user it read).
const serverOwned = new Set(['creation', 'modification', 'lastLogin'])

/** The fields a client writes: PUT's body, and what a JSON Patch may touch. */
export const writableFields: ReadonlySet<string> = new Set(Object.keys(PlaspyUserInput.properties).filter((field) => !serverOwned.has(field)))

/** The user as a JSON Patch sees it: the writable fields as GET answers them, unset ones present as null. */
export function toWritableUser (user: PlaspyUserRow): PlaspyUserInput {
  const wire = toPlaspyUser(user)
  return Object.fromEntries([...writableFields].map((field) => [field, wire[field as keyof PlaspyUser]])) as PlaspyUserInput
}
