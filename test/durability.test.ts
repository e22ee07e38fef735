// SIGKILL in the middle of a write load: the real server process takes concurrent creates and per-user
// sequential updates of both dialects over HTTP, is killed without warning, and is restarted on the same
// database (SQLite: WAL, synchronous=FULL; Postgres: fsync on commit). Every write answered with a 2xx must be
// there after the restart; an update stream may show the request in flight at the kill, never an older one.
import t from 'tap'
import { testDatabaseUrl, testProvider } from './helpers/database.js'
import { mint } from './helpers/command.js'
import { startServer } from './helpers/server.js'

// Two process starts plus the load: more than tap's default 30 s under a parallel run.
t.setTimeout(120_000)

// The kill comes after at least 1.5 s of load and 200 acknowledged writes (a busy machine is slower), at most 10 s.
const LOAD_MS = { min: 1_500, max: 10_000 }
const MIN_ACKNOWLEDGED = 200
const WORKERS_PER_KIND = 3
// Far above what the load sends: a 429 would only thin the load, and rate limits are tested elsewhere.
const NO_RATE_LIMIT = { RATE_LIMIT_MAX: '10000000' }

type Json = Record<string, any>

/** One request of the load: what was sent, and the answer if one arrived whole. */
interface Write {
  kind: 'roam create' | 'roam update' | 'plaspy create' | 'plaspy update'
  worker: number
  seq: number
  status?: number
  body?: Json
  error?: string
}

const acknowledged = (write: Write) => write.status !== undefined && write.status >= 200 && write.status < 300

/** fetch that never throws: the answer, or why none arrived (socket closed, connection refused). */
async function attempt (url: string, init: RequestInit): Promise<{ status?: number, body?: Json, error?: string }> {
  try {
    const response = await fetch(url, init)
    const text = await response.text() // the whole body, or the socket error that cut it short
    return { status: response.status, body: JSON.parse(text) }
  } catch (error) {
    const cause = (error as { cause?: { code?: string, message?: string } }).cause
    return { error: cause?.code ?? cause?.message ?? String(error) }
  }
}

t.test('every write acknowledged before SIGKILL is there after a restart', async (t) => {
  const databaseUrl = await testDatabaseUrl(t)
  const roamKey = await mint(databaseUrl, 'roam-key', 'create', '--account', 'acme')
  const login = await mint(databaseUrl, 'plaspy-user', 'create', '--account', 'acme', '--user', 'jane', '--email', 'jane@example.com')
  const env = { DATABASE_URL: databaseUrl, ...NO_RATE_LIMIT }
  const first = await startServer(t, env)

  const roamHeaders = { 'content-type': 'application/json', 'api-key': roamKey.api_key }
  const token = (await attempt(`${first.base}/api/Auth/Token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: login.userName, apiKey: login.api_key })
  })).body!.token as string
  const plaspyHeaders = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  const plaspyUser = (worker: number, seq: number) => ({
    name: `Worker ${worker}`, email: `w${worker}-${seq}@example.com`, country: 'NL', timeZone: 'Europe/Amsterdam'
  })

  // The users whose update streams run during the load, one per update worker, created before it.
  const workers = Array.from({ length: WORKERS_PER_KIND }, (_, i) => i)
  const roamTargets = await Promise.all(workers.map(async (worker) => (await attempt(`${first.base}/v1/api/user/`, {
    method: 'POST', headers: roamHeaders, body: JSON.stringify({ app_type: 1, device_token: `stream-${worker}`, description: 'seq 0', metadata: { seq: 0 } })
  })).body!.data.user_id as string))
  const plaspyTargets = await Promise.all(workers.map(async (worker) => (await attempt(`${first.base}/api/users`, {
    method: 'POST', headers: plaspyHeaders, body: JSON.stringify({ ...plaspyUser(worker, 0), description: 'seq 0' })
  })).body!.id as string))

  const requestOf: Record<Write['kind'], (worker: number, seq: number, last: boolean) => [string, RequestInit]> = {
    'roam create': (worker, seq) => [`${first.base}/v1/api/user/`, {
      method: 'POST', headers: roamHeaders, body: JSON.stringify({ app_type: 1, device_token: `w${worker}-${seq}`, description: `created ${seq}`, metadata: { worker, seq } })
    }],
    'roam update': (worker, seq) => [`${first.base}/v1/api/user/`, {
      method: 'PUT', headers: roamHeaders, body: JSON.stringify({ user_id: roamTargets[worker], description: `seq ${seq}`, metadata: { seq } })
    }],
    // The last one with a password: hashing it keeps the server busy for tens of milliseconds, which the kill lands in.
    'plaspy create': (worker, seq, last) => [`${first.base}/api/users`, {
      method: 'POST',
      headers: plaspyHeaders,
      body: JSON.stringify({ ...plaspyUser(worker, seq), description: `created ${seq}`, tags: { seq: String(seq) }, ...(last ? { password: 'correct horse battery' } : {}) })
    }],
    'plaspy update': (worker, seq) => [`${first.base}/api/users/${plaspyTargets[worker]}`, {
      method: 'PUT', headers: plaspyHeaders, body: JSON.stringify({ ...plaspyUser(worker, 0), description: `seq ${seq}` })
    }]
  }

  // Each worker sends its next request when the last one is answered, until the kill cuts it off. The kill comes
  // a few milliseconds after a Plaspy create was sent, while the server hashes its password: a timer alone could
  // fire when the server has answered everything and the client, on a busy machine, has not read it yet.
  const writes: Write[] = []
  const exited = new Promise((resolve) => first.process.once('exit', resolve))
  const started = Date.now()
  let acknowledgedSoFar = 0
  let killing = false
  let killed = false
  const loadedEnough = () => Date.now() - started >= LOAD_MS.max ||
    (Date.now() - started >= LOAD_MS.min && acknowledgedSoFar >= MIN_ACKNOWLEDGED)
  async function work (kind: Write['kind'], worker: number): Promise<void> {
    for (let seq = 1; !killed; seq++) {
      const write: Write = { kind, worker, seq }
      writes.push(write)
      const last = kind === 'plaspy create' && !killing && loadedEnough()
      const answer = attempt(...requestOf[kind](worker, seq, last))
      if (last) {
        killing = true
        setTimeout(() => { killed = true; first.process.kill('SIGKILL') }, 5)
      }
      Object.assign(write, await answer)
      if (acknowledged(write)) acknowledgedSoFar++
      if (write.error !== undefined) return
    }
  }
  await Promise.all([...(Object.keys(requestOf) as Array<Write['kind']>).flatMap((kind) => workers.map((worker) => work(kind, worker))), exited])

  const acked = writes.filter(acknowledged)
  // Cut off: sent, and the connection lost before a whole answer came. A connection refused never got sent.
  const inFlightAtKill = writes.filter((write) => write.error !== undefined && write.error !== 'ECONNREFUSED')
  const notOk = writes.filter((write) => write.status !== undefined && !acknowledged(write))
  t.ok(acked.length >= MIN_ACKNOWLEDGED, `the load got going: ${acked.length} writes acknowledged in ${Date.now() - started} ms`)
  for (const kind of Object.keys(requestOf)) t.ok(acked.some((write) => write.kind === kind), `some ${kind} acknowledged`)
  t.same(notOk.map((write) => `${write.kind} ${write.status}`), [], 'every write answered was answered with a 2xx')
  t.ok(inFlightAtKill.length > 0, `the kill cut requests off mid-flight: ${inFlightAtKill.map((write) => write.error).join(', ')}`)

  // The same database, a new process: what it answers is what was committed.
  const second = await startServer(t, env)
  const lost: string[] = []
  const verify = async (write: Write, expected: Json, actual: Promise<Json | undefined>) => {
    const found = await actual
    if (!t.match(found, expected, `${write.kind} ${write.worker}/${write.seq} is there as answered`)) {
      lost.push(`${write.kind} ${write.worker}/${write.seq}`)
    }
  }
  const roamUser = async (id: string) =>
    (await attempt(`${second.base}/v1/api/user/?user_id=${id}`, { headers: roamHeaders })).body?.data?.users?.[0] as Json | undefined
  const plaspyGet = async (id: string) => {
    const answer = await attempt(`${second.base}/api/users/${id}`, { headers: plaspyHeaders })
    return answer.status === 200 ? answer.body : undefined
  }

  // Plaspy counts every request in the database before answering it: the first request after the restart
  // counts on from the last answered value, plus at most the requests counted but cut off by the kill.
  const plaspyAcked = acked.filter((write) => write.kind.startsWith('plaspy'))
  const usageAcked = Math.max(...plaspyAcked.map((write) => write.body!.apiUsage as number))
  const plaspyCutOff = inFlightAtKill.filter((write) => write.kind.startsWith('plaspy')).length
  const usageNow = (await plaspyGet(plaspyTargets[0]!))?.apiUsage as number
  t.ok(usageNow > usageAcked && usageNow <= usageAcked + plaspyCutOff + 1,
    `apiUsage after the restart (${usageNow}) counts on from the last one answered (${usageAcked}, ${plaspyCutOff} cut off)`)

  await inBatches(acked.filter((write) => write.kind === 'roam create'), 20, (write) => {
    // The list answers no metadata: the create's one row is checked by the fields it does answer.
    const { user_id: id, app_id: appId, description } = write.body!.data
    return verify(write, { id, app_id: appId, description, device_token: `w${write.worker}-${write.seq}` }, roamUser(id))
  })
  await inBatches(acked.filter((write) => write.kind === 'plaspy create'), 20, (write) => {
    const { apiUsage, apiDailyUsage, ...user } = write.body!
    return verify(write, user, plaspyGet(user.id))
  })

  // Each stream: the last update acknowledged, or the one after it if that was in flight at the kill.
  let streamsChecked = 0
  let streamsAtInFlight = 0
  for (const [kind, targets, read] of [
    ['roam update', roamTargets, roamUser],
    ['plaspy update', plaspyTargets, plaspyGet]
  ] as const) {
    for (const worker of workers) {
      const stream = writes.filter((write) => write.kind === kind && write.worker === worker)
      const lastAcked = Math.max(0, ...stream.filter(acknowledged).map((write) => write.seq))
      const inFlight = stream.find((write) => write.error !== undefined)?.seq
      const stored = Number(/^seq (\d+)$/.exec((await read(targets[worker]!))?.description)?.[1])
      const allowed = inFlight === undefined ? [lastAcked] : [lastAcked, inFlight]
      if (!allowed.includes(stored)) lost.push(`${kind} ${worker}: stored seq ${stored}, acknowledged ${lastAcked}`)
      if (stored === inFlight) streamsAtInFlight++
      streamsChecked++
    }
  }

  const creates = acked.filter((write) => write.kind.endsWith('create')).length
  t.comment(`${testProvider()}: ${writes.length} writes sent, ${acked.length} acknowledged (${creates} creates, ` +
    `${acked.length - creates} updates), ${creates - lost.filter((what) => what.includes('create')).length} creates ` +
    `verified present, ${streamsChecked} update streams checked (${streamsAtInFlight} hold the update in flight), ${lost.length} lost, ` +
    `${inFlightAtKill.length} in flight at the kill`)
  t.same(lost, [], 'no acknowledged write lost')
})

/** Runs `check` over `items`, `size` at a time: enough to be quick, few enough not to swamp a shared machine. */
async function inBatches<T> (items: T[], size: number, check: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(check))
}
