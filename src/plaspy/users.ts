// Plaspy users of one account. Every query is scoped by the principal's account, so another account's
// user answers exactly like one that does not exist.
import type { PlaspyUser, PrismaClient } from '../db/client.js'
import { jsonColumn } from '../db/client.js'
import { isRecordNotFound, isUniqueViolation } from '../db/errors.js'
import { ApiError, validationError } from '../platform/errors.js'
import { prefixedId } from '../platform/secrets.js'
import type { PlaspyUserInput } from '../../generated/schemas.js'
import type { PlaspyPrincipal } from './auth.js'
import { hashPassword } from './passwords.js'
import { isCountry, isTimeZone } from './reference-data.js'

export type PlaspyUserRow = PlaspyUser

export const userNotFound = () => new ApiError('not_found', 'User not found.')
const emailTaken = () => new ApiError('conflict', 'Email address is already in use.')

export function plaspyUsers (prisma: PrismaClient, { accountId }: Pick<PlaspyPrincipal, 'accountId'>, now: Date) {
  return {
    async create (input: PlaspyUserInput): Promise<PlaspyUserRow> {
      const data = await columns(input)
      return writing(() => prisma.plaspyUser.create({
        data: { ...data, id: prefixedId('usr'), accountId, privileges: data.privileges ?? [], creation: now, modification: now }
      }))
    },

    /** PUT: the required fields are replaced; optional fields left out keep their values. */
    async update (id: string, input: PlaspyUserInput): Promise<PlaspyUserRow> {
      const data = await columns(input)
      return writing(() => prisma.plaspyUser.update({ where: { id, accountId }, data: { ...data, modification: now } }))
    }
  }
}

/** The writable columns of an input. `undefined` leaves a column as it is; `null` clears it. */
async function columns (input: PlaspyUserInput) {
  if (!isCountry(input.country)) throw validationError('country', 'Not a known ISO 3166 country.')
  if (!isTimeZone(input.timeZone)) throw validationError('timeZone', 'Not a known IANA time zone.')
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
    tags: input.tags === undefined ? undefined : jsonColumn(input.tags),
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

/** Runs a write, answering Plaspy's errors for an unknown user and a duplicate email. */
async function writing<T> (write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (isRecordNotFound(error)) throw userNotFound()
    if (isUniqueViolation(error)) throw emailTaken()
    throw error
  }
}
