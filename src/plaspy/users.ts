// Plaspy users of one account. Every query is scoped by the principal's account, so another account's
// user answers exactly like one that does not exist.
import { isUniqueViolation } from '../db/errors.js'
import { ApiError, validationError } from '../platform/errors.js'
import { preconditionFailed, writeRefused } from '../platform/etag.js'
import { prefixedId } from '../platform/secrets.js'
import type { PlaspyJsonPatch, PlaspyUserInput } from '../../generated/schemas.js'
import type { PlaspyPrincipal } from './auth.js'
import { hashPassword } from './passwords.js'
import { applyUserPatch } from './patch.js'
import { isCountry, isListedTimeZone } from './reference-data.js'
import type { NewPlaspyUser, PlaspyRepository, PlaspyUser, PlaspyUserChanges } from './repository.js'
import { toWritableUser } from './wire.js'

export type PlaspyUserRow = PlaspyUser

export const userNotFound = () => new ApiError('not_found', 'User not found.')
const emailTaken = () => new ApiError('conflict', 'Email address is already in use.')
const raced = () => new ApiError('conflict', 'The user kept changing while the patch was applied; try again.')

// What the optional fields read as once a patch removed them. (Not typed as PlaspyUserInput: TypeBox infers
// `tags`' `type: [object, null]` as the object alone.)
const cleared = {
  description: null,
  message: null,
  disabled: false,
  disabledMessage: null,
  tags: null,
  privileges: [],
  group: null,
  deviceId: null,
  adminDevices: null,
  from: null,
  expires: null
}

const patchAttempts = 5

/** Users read per statement by List Users: a few milliseconds of the event loop, a few hundred KB of answer. */
export const LIST_BATCH = 500

export function plaspyUsers (
  repository: PlaspyRepository,
  { accountId, userId }: Pick<PlaspyPrincipal, 'accountId' | 'userId'>,
  now: Date
) {
  async function get (id: string): Promise<PlaspyUserRow> {
    const user = await repository.getUser(accountId, id)
    if (user === undefined) throw userNotFound()
    return user
  }

  /** A write matched no row: an unknown user, or (If-Match) another version of it. */
  const refused = (id: string, versions: readonly number[] | undefined) =>
    writeRefused(versions, async () => await repository.getUser(accountId, id) !== undefined, userNotFound)

  return {
    get,

    /**
     * Every user of the account, oldest first, a batch at a time (the vendor documents no pagination, and an
     * account may hold hundreds of thousands). Each batch is its own statement, run by `scoped` (the tenant is
     * not inherited by a stream's later reads): a user created meanwhile comes last or not at all, and none
     * comes twice, since creation and id never change.
     */
    async * list (scoped: <T>(read: () => Promise<T>) => Promise<T>): AsyncGenerator<PlaspyUserRow[]> {
      let after: PlaspyUserRow | undefined
      do {
        const batch = await scoped(() => repository.usersAfter(accountId, after, LIST_BATCH))
        yield batch
        after = batch.length === LIST_BATCH ? batch[LIST_BATCH - 1] : undefined
      } while (after !== undefined)
    },

    async create (input: PlaspyUserInput): Promise<PlaspyUserRow> {
      const data = await userColumns(input)
      return writing(() => repository.createUser({
        ...data, id: prefixedId('usr'), accountId, privileges: data.privileges ?? [], creation: now, modification: now
      }))
    },

    /**
     * PUT: the required fields are replaced; optional fields left out keep their values. One statement, which
     * with If-Match is also the compare-and-set on the version.
     */
    async update (id: string, input: PlaspyUserInput, versions?: readonly number[]): Promise<PlaspyUserRow> {
      const user = await writing(async () => repository.updateUser(accountId, id, await userColumns(input), now, versions))
      return user ?? await refused(id, versions)
    },

    /**
     * PATCH: the patch applies to the user as read; a field it removes is cleared. The write lands only if the
     * user is still as read (compare-and-set on its version), so a `test` holds for the state the patch
     * changes; after a concurrent write the patch starts over, unless If-Match named the version read. No
     * interactive transaction: on SQLite its connection is shared, and other requests' statements would join it.
     */
    async patch (id: string, patch: PlaspyJsonPatch, versions?: readonly number[]): Promise<PlaspyUserRow> {
      for (let attempt = 0; attempt < patchAttempts; attempt++) {
        const current = await get(id)
        if (versions !== undefined && !versions.includes(current.version)) throw preconditionFailed()
        const input = applyUserPatch(toWritableUser(current), patch)
        const data = await userColumns({ ...cleared, ...input } as PlaspyUserInput)
        const passwordHash = 'password' in input ? data.passwordHash : null // removed clears it; `null` keeps it
        // Visibly later than the version read, even within the same millisecond.
        const modification = new Date(Math.max(now.getTime(), current.modification.getTime() + 1))
        const user = await writing(() => repository.updateUser(accountId, id, { ...data, passwordHash }, modification, [current.version]))
        if (user !== undefined) return user
      }
      throw raced()
    },

    /** A hard delete; the user's API keys, tokens and usage go with it (foreign keys cascade). */
    async delete (id: string, versions?: readonly number[]): Promise<void> {
      if (id === userId) throw new ApiError('bad_request', 'A token cannot delete its own user.')
      if (!await repository.deleteUser(accountId, id, versions)) await refused(id, versions)
    }
  }
}

/** The writable fields of an input. `undefined` leaves a column as it is; `null` clears it. */
/** A user's columns from its wire fields, the password hashed; an unknown country or zone is a 400. */
export async function userColumns (input: PlaspyUserInput): Promise<PlaspyUserChanges & Pick<NewPlaspyUser, 'name' | 'email' | 'country' | 'timeZone'>> {
  if (!isCountry(input.country)) throw validationError('country', 'Not a known ISO 3166 country.')
  if (!isListedTimeZone(input.timeZone)) throw validationError('timeZone', 'Not a known IANA time zone.')
  if (input.from && input.expires && Date.parse(input.from) > Date.parse(input.expires)) {
    throw validationError('expires', 'Must not be before from.')
  }
  return {
    name: input.name,
    email: input.email,
    country: input.country,
    timeZone: input.timeZone,
    description: input.description,
    message: input.message,
    disabled: input.disabled,
    disabledMessage: input.disabledMessage,
    tags: input.tags,
    privileges: input.privileges as string[] | undefined,
    groupName: input.group,
    deviceId: input.deviceId,
    adminDevices: input.adminDevices,
    validFrom: dateColumn(input.from),
    validUntil: dateColumn(input.expires),
    // A user read back and sent again carries `password: null`: that must not erase the password.
    passwordHash: typeof input.password === 'string' ? await hashPassword(input.password) : undefined
  }
}

function dateColumn (value: string | null | undefined): Date | null | undefined {
  return typeof value === 'string' ? new Date(value) : value
}

/** Runs a write, answering Plaspy's error for a duplicate email. */
async function writing<T> (write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken()
    throw error
  }
}
