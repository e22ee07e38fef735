// What the Plaspy tests share: a valid user body, a way to create one over the API, and the stored row.
import type { App } from '../../src/app.js'
import type { plaspyClient } from '../helper.js'

export type Client = Awaited<ReturnType<typeof plaspyClient>>

export const isoSeconds = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

export const minimal = { name: 'John Smith', email: 'john.smith@example.com', country: 'Argentina', timeZone: 'America/Argentina/Buenos_Aires' }

/** The seed's PUT /api/users/{userId} request body, verbatim (plaspy-dev/docs, users_api/put__api_users_userid.md). */
export const vendorPut = {
  name: 'Jane Doe',
  email: 'jane.doe@example.com',
  country: 'USA',
  timeZone: 'America/Los_Angeles',
  description: 'Updated user for the marketing department',
  tags: { role: 'user', department: 'marketing' },
  privileges: ['read', 'write'],
  group: 'Marketing',
  deviceId: 'dev-12345',
  adminDevices: 2,
  from: '2023-01-01T00:00:00Z',
  expires: '2024-01-01T00:00:00Z',
  password: 'P@ssw0rd123',
  creation: '2023-01-01T00:00:00Z',
  modification: '2023-06-01T00:00:00Z',
  lastLogin: '2024-05-01T00:00:00Z'
}

/** The vendor's POST /api/users request body, verbatim (users_api/post__api_users.md): the PUT's, but for its description. */
export const vendorCreate = { ...vendorPut, description: 'New user for the marketing department' }

/** Creates a user over the API and answers its id; any other answer than 201 fails the test. */
export async function createUser (client: Client, payload: object = minimal): Promise<string> {
  const response = await client.inject({ method: 'POST', url: '/api/users', payload })
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.body}`)
  return response.json().id
}

export function row (app: App, id: string) {
  return app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id } })
}

/** The whole Plaspy side of the database, to show that a rejected request changed nothing. */
export async function snapshot (app: App) {
  const { prisma } = app.db
  return {
    users: await prisma.plaspyUser.findMany({ orderBy: { id: 'asc' } }),
    keys: await prisma.plaspyApiKey.findMany({ orderBy: { id: 'asc' } }),
    tokens: await prisma.plaspyToken.findMany({ orderBy: { id: 'asc' } })
  }
}

/** A body without its usage counters, which differ between any two requests. */
export function withoutUsage (body: Record<string, unknown>): Record<string, unknown> {
  const { apiUsage, apiDailyUsage, ...rest } = body
  return rest
}
