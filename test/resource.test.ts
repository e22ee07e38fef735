// One tenant cannot stall another: tenant A sends, in nine loops at once, the most expensive request each operation
// admits (the largest accepted bodies, a password to hash, patches that grow until refused, the last page of a large
// list, a whole streamed list, 1,000 users grouped, sign-ins), while tenant B reads its users. The server runs as
// its own process, as deployed. B's reads must all succeed, and none of A's answers may be a 5xx.
// The bound on B's p99 is a stall guard (one list used to hold every tenant for 10.8 s), not the 100 ms target, which
// a timed test would measure the machine for: on this 2-core machine the server, Postgres, these clients and
// another test file share the cores. Run alone (2026-12-04), B's p99 measures 40 ms on SQLite and 54-58 ms on
// Postgres (it was 180-190 ms before Roam's lists counted by the hour).
import { Agent, request as httpRequest } from 'node:http'
import { text } from 'node:stream/consumers'
import type { InjectOptions } from 'fastify'
import t from 'tap'
import { openDatabase, type Database } from '../src/db/client.js'
import { createLogin } from '../src/plaspy/logins.js'
import { createRoamKey } from '../src/roam/keys.js'
import { testDatabaseUrl, testProvider } from './helpers/database.js'
import { startServer } from './helpers/server.js'

const VICTIM_READS = 400
const P99_BOUND_MS = 1000
const ATTACKER_USERS = 10_000
t.setTimeout(300_000)

/** `count` Roam users in the project of `projectId` and Plaspy users in `accountId`, written straight to the tables. */
async function fill (db: Database, projectId: string, accountId: string, count: number) {
  const created = new Date('2026-01-01T00:00:00.000Z')
  for (let start = 0; start < count; start += 2000) {
    const ids = Array.from({ length: Math.min(2000, count - start) }, (_, i) => start + i)
    await db.prisma.roamUser.createMany({
      data: ids.map((i) => ({ id: `f${i.toString(16).padStart(23, '0')}`, projectId, appType: 1, deviceToken: `t${i}`, createdAt: new Date(created.getTime() + i * 1000), updatedAt: created }))
    })
    await db.prisma.plaspyUser.createMany({
      data: ids.map((i) => ({ id: `usr-${i.toString(16).padStart(16, '0')}`, accountId, name: `A ${i}`, email: `filled${i}@example.com`, country: 'Argentina', timeZone: 'UTC', privileges: ['read'], creation: created }))
    })
  }
}

/** Sends over real HTTP and reads the whole answer: the status and the body as text. */
function over (base: string, agent: Agent, credential: Record<string, string>) {
  return (options: InjectOptions): Promise<{ statusCode: number, body: string }> => new Promise((resolve, reject) => {
    const payload = options.payload === undefined ? undefined : typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload)
    const headers = { ...credential, ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers as Record<string, string> }
    const request = httpRequest(`${base}${options.url}`, { method: options.method ?? 'GET', agent, headers }, (response) => {
      text(response).then((body) => resolve({ statusCode: response.statusCode!, body }), reject)
    })
    request.on('error', reject)
    request.end(payload)
  })
}

function percentile (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!
}

t.test(`tenant A's worst requests in nine loops: tenant B's reads all succeed, p99 under ${P99_BOUND_MS} ms`, async (t) => {
  const databaseUrl = await testDatabaseUrl(t)
  const db = await openDatabase(databaseUrl, { prisma: true })
  t.teardown(() => db.close())
  const roamA = await createRoamKey(db, 'attacker')
  const roamB = await createRoamKey(db, 'victim')
  const [plaspyA, signer, plaspyB] = await Promise.all([['attacker', 'a1'], ['attacker', 'a2'], ['victim', 'b1']].map(([accountName, userName]) =>
    createLogin(db, { accountName: accountName!, userName: userName!, email: `${userName}@example.com` })))
  const { accountId } = await db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: plaspyA!.user_id } })
  await fill(db, roamA.project_id, accountId, ATTACKER_USERS)
  const groupable = (await db.prisma.roamUser.findMany({ where: { projectId: roamA.project_id }, select: { id: true }, take: 1000 })).map((user) => user.id)

  const { base } = await startServer(t, { DATABASE_URL: databaseUrl, RATE_LIMIT_MAX: '1000000000', RATE_LIMIT_FAILED_AUTH_MAX: '1000000000' })
  const agent = new Agent({ keepAlive: true })
  t.teardown(() => agent.destroy())
  const anonymous = over(base, agent, {})
  const token = async (login: { userName: string, api_key: string }) => JSON.parse((await anonymous({ method: 'POST', url: '/api/Auth/Token', payload: { userName: login.userName, apiKey: login.api_key } })).body).token
  const attacker = { roam: over(base, agent, { 'api-key': roamA.api_key }), plaspy: over(base, agent, { authorization: `Bearer ${await token(plaspyA!)}` }), anonymous }
  const victim = { roam: over(base, agent, { 'api-key': roamB.api_key }), plaspy: over(base, agent, { authorization: `Bearer ${await token(plaspyB!)}` }) }
  const created = async (response: Promise<{ body: string }>) => JSON.parse((await response).body)
  const roamUser = (await created(attacker.roam({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'a' } }))).data.user_id
  const group = (await created(attacker.roam({ method: 'POST', url: '/v1/api/group/', payload: {} }))).data.group_id
  const plaspyUser = (await created(attacker.plaspy({ method: 'POST', url: '/api/users', payload: { name: 'A', email: 'a@example.org', country: 'US', timeZone: 'UTC', tags: { t: 'x' } } }))).id
  const victimRoam = (await created(victim.roam({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'b' } }))).data.user_id

  const long = (n: number) => 'é'.repeat(n)
  // As large as the 64 KiB body limit lets them be: 50 keys of 64 characters, values of 1000 (one byte each).
  const metadata = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key-${i}`.padEnd(64, 'k'), 'x'.repeat(1000)]))
  const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`tag-${i}`.padEnd(64, 't'), long(256)]))
  const doubling = Array.from({ length: 300 }, (_, i) => i % 2 === 0 ? { op: 'copy', from: '/tags', path: `/tags/k${i}` } : { op: 'copy', from: '/tags', path: '/privileges/-' })
  const worst: Record<string, () => Promise<{ statusCode: number }>> = {
    roamCreateUser: () => attacker.roam({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: long(200), description: long(1000), metadata } }),
    roamUpdateUser: () => attacker.roam({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: roamUser, description: long(1000), metadata } }),
    roamListUsers: () => attacker.roam({ url: `/v1/api/user/?page_number=${ATTACKER_USERS / 10}` }),
    roamListUsersByDay: () => attacker.roam({ url: `/v1/api/user/?start_date=2026-01-01&end_date=2026-01-31&timezone_offset=Pacific/Kiritimati&page_number=${ATTACKER_USERS / 20}` }),
    roamAddUsersToGroup: () => attacker.roam({ method: 'POST', url: '/v1/api/group/user/', payload: { group_id: group, users: groupable } }),
    plaspyCreateToken: () => attacker.anonymous({ method: 'POST', url: '/api/Auth/Token', payload: { userName: signer!.userName, apiKey: signer!.api_key } }),
    plaspyListUsers: () => attacker.plaspy({ url: '/api/users' }),
    plaspyUpdateUser: () => attacker.plaspy({ method: 'PUT', url: `/api/users/${plaspyUser}`, payload: { name: long(100), email: 'a@example.org', country: 'US', timeZone: 'UTC', description: long(1000), message: long(1000), tags, privileges: ['read', 'write'], password: long(128) } }),
    plaspyPatchUser: () => attacker.plaspy({ method: 'PATCH', url: `/api/users/${plaspyUser}`, headers: { 'content-type': 'application/json-patch+json' }, payload: JSON.stringify(doubling) })
  }

  const attack = { on: true } // turned off once the victim is done
  const attacks = new Map<string, { sent: number, statuses: Set<number> }>()
  const loops = Object.entries(worst).map(async ([name, send]) => {
    const seen = { sent: 0, statuses: new Set<number>() }
    attacks.set(name, seen)
    while (attack.on) {
      seen.statuses.add((await send()).statusCode)
      seen.sent++
    }
  })

  const reads: number[] = []
  for (let i = 0; i < VICTIM_READS; i++) {
    const started = performance.now()
    const response = i % 2 === 0 ? await victim.plaspy({ url: `/api/users/${plaspyB!.user_id}` }) : await victim.roam({ url: `/v1/api/user/?user_id=${victimRoam}` })
    reads.push(performance.now() - started)
    if (response.statusCode !== 200) t.fail(`the victim's read answered ${response.statusCode}`)
  }
  attack.on = false
  await Promise.all(loops)

  const p99 = percentile(reads, 0.99)
  t.comment(`${testProvider()}: victim p50 ${percentile(reads, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...reads).toFixed(1)} ms; ` +
    `attacker sent ${[...attacks].map(([name, { sent, statuses }]) => `${name} ${sent}×[${[...statuses].join(',')}]`).join(', ')}`)
  for (const [name, { sent, statuses }] of attacks) {
    t.ok(sent > 0, `${name} attacked ${sent} times`)
    t.notOk([...statuses].some((status) => status >= 500), `${name} answered no 5xx (${[...statuses].join(', ')})`)
  }
  t.ok(p99 < P99_BOUND_MS, `tenant B's reads: p99 ${p99.toFixed(1)} ms under ${P99_BOUND_MS} ms`)
})
