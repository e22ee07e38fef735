// A start that cannot succeed says why in one line on stderr and exits 1: no stack trace for a deployer to read.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import t from 'tap'
import { serverDatabaseUrl, testDatabaseUrl, testProvider } from './helpers/database.js'
import { failedStart, startServer } from './helpers/server.js'

t.setTimeout(120_000)

t.test('bad configuration: one line naming the setting', async (t) => {
  for (const [env, message] of [
    [{ TRUST_PROXY: 'true' }, /^tracker-users: cannot start: TRUST_PROXY must be the proxies' addresses/],
    [{ PORT: '70000' }, /^tracker-users: cannot start: PORT must be an integer from 0 to 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^tracker-users: cannot start: DATABASE_URL must be/],
    [{ ADMIN_TOKEN: 'letmein' }, /^tracker-users: cannot start: ADMIN_TOKEN must be at least 32 characters without spaces/],
    [{ ADMIN_TOKEN: `${'x'.repeat(32)}!` }, /^tracker-users: cannot start: ADMIN_TOKEN must be at least 32 characters/] // no bearer token
  ] as const) {
    const { code, stderr } = await failedStart(env)
    t.equal(code, 1, JSON.stringify(env))
    t.match(stderr, message)
    t.equal(stderr.trim().split('\n').length, 1, 'one line')
  }
})

t.test('a SQLite path that cannot be used: one line naming it and what to do', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tracker-users-startup-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'a-file'), '')
  await mkdir(join(dir, 'a-directory.db'))
  for (const [file, message] of [
    [join(dir, 'a-file', 'x.db'), `cannot create the directory ${join(dir, 'a-file')} (EEXIST)`],
    [join(dir, 'a-directory.db'), `cannot open ${join(dir, 'a-directory.db')} as a SQLite database (SQLITE_CANTOPEN)`]
  ] as const) {
    const { code, stderr } = await failedStart({ DATABASE_URL: `file:${file}` })
    t.equal(code, 1, file)
    t.equal(stderr, `tracker-users: cannot start: DATABASE_URL: ${message}; point DATABASE_URL at a file in a directory this process can write\n`)
  }
})

t.test('SQLite\'s driver built for another Node (an upgrade without npm rebuild): one line saying so, not blaming DATABASE_URL', async (t) => {
  // Node's own failure, as process.dlopen throws it for a module of another NODE_MODULE_VERSION.
  const mismatch = "const e = new Error('The module better_sqlite3.node\\nwas compiled against a different Node.js version using\\nNODE_MODULE_VERSION 147.'); e.code = 'ERR_DLOPEN_FAILED'; throw e"
  const preload = `data:text/javascript,${encodeURIComponent(`const dlopen = process.dlopen; process.dlopen = (module, file, ...rest) => { if (file.endsWith('better_sqlite3.node')) { ${mismatch} } return dlopen(module, file, ...rest) }`)}`
  const dir = await mkdtemp(join(tmpdir(), 'tracker-users-startup-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const { code, stderr } = await failedStart({ DATABASE_URL: `file:${join(dir, 'x.db')}`, NODE_OPTIONS: `--import=${preload}` })
  t.equal(code, 1)
  t.equal(stderr, `tracker-users: cannot start: better-sqlite3, the SQLite driver, does not load in Node ${process.version}: The module better_sqlite3.node was compiled against a different Node.js version using NODE_MODULE_VERSION 147. Run \`npm rebuild better-sqlite3\` with this Node.\n`)
})

t.test('a port in use: one line saying so', async (t) => {
  const databaseUrl = await testDatabaseUrl(t)
  const { base } = await startServer(t, { DATABASE_URL: databaseUrl })
  const { code, stderr } = await failedStart({ DATABASE_URL: databaseUrl, PORT: new URL(base).port })
  t.equal(code, 1)
  t.match(stderr, /^tracker-users: cannot start: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/)
})

t.test('an unmigrated Postgres: refused with one line saying what to run', { skip: testProvider() !== 'postgresql' && 'SQLite is migrated at start' }, async (t) => {
  const url = await testDatabaseUrl(t, { migrate: false })
  const { code, stderr } = await failedStart({ DATABASE_URL: url })
  t.equal(code, 1)
  t.match(stderr, /^tracker-users: cannot start: the database lacks \d+ migration\(s\), from \w+: run `tracker-users migrate` with DATABASE_URL of the tables' owner, then start again\n$/)
})

t.test('ADMIN_TOKEN with the server\'s own Postgres login: refused with one line naming ADMIN_DATABASE_URL', { skip: testProvider() !== 'postgresql' && 'SQLite has no roles' }, async (t) => {
  const { code, stderr } = await failedStart({ DATABASE_URL: await serverDatabaseUrl(await testDatabaseUrl(t)), ADMIN_TOKEN: 'a'.repeat(32) })
  t.equal(code, 1)
  t.equal(stderr, 'tracker-users: cannot start: ADMIN_TOKEN: the admin operations write accounts and keys, which this login may not on Postgres: set ADMIN_DATABASE_URL to the tables\' owner\'s\n')
})

t.test('a Postgres login not granted the app role: refused with one line saying what to grant', { skip: testProvider() !== 'postgresql' && 'SQLite has no roles' }, async (t) => {
  const url = await testDatabaseUrl(t)
  const login = `tracker_users_norights_${process.pid}`
  const owner = new pg.Client({ connectionString: url.replace(/\?.*$/, '') })
  await owner.connect()
  await owner.query(`CREATE ROLE ${login} LOGIN PASSWORD '${login}'`)
  t.teardown(async () => { await owner.query(`DROP ROLE IF EXISTS ${login}`); await owner.end() })
  const asLogin = new URL(url)
  asLogin.username = asLogin.password = login
  const { code, stderr } = await failedStart({ DATABASE_URL: asLogin.href })
  t.equal(code, 1)
  t.equal(stderr, 'tracker-users: cannot start: the database login may not read the tables: grant it this deployment\'s app role (as the tables\' owner: SELECT tracker_users_app_role(); then GRANT that role TO the login), then start again\n')
})
