// The tracker-users command as a person and a script meet it: help that says what each command does,
// --json on every command, one clear line (or JSON) for a bad or unreachable DATABASE_URL. Most runs are
// in-process (test/helpers/command.ts); what only a process shows (exit status, stderr, .env, another process
// holding the file) runs one (cliProcess).
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, openSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import pg from 'pg'
import t from 'tap'
import { testDatabaseUrl, testProvider } from './helpers/database.js'
import { cli } from './helpers/command.js'
import { CLI_ARGS, cliProcess } from './helpers/server.js'
import { PACKAGE_ROOT } from '../src/platform/package-root.js'

// A few real processes: more than tap's default 30 s under a parallel run.
t.setTimeout(180_000)

t.test('--help lists every command and the environment; each command\'s help offers --json', async (t) => {
  const top = await cli(undefined, '--help')
  t.equal(top.code, 0)
  for (const text of ['migrate', 'roam-key', 'plaspy-user', 'seed', 'reset', 'conformance', 'DATABASE_URL', '--json', 'Examples:']) t.match(top.stdout, text)
  const leaves = [['migrate'], ['migrate', 'resolve'], ['roam-key', 'create'], ['roam-key', 'list'], ['roam-key', 'revoke'],
    ['plaspy-user', 'create'], ['plaspy-user', 'key', 'regenerate'], ['plaspy-user', 'key', 'revoke'], ['seed'], ['reset'], ['conformance']]
  const helps = await Promise.all(leaves.map((path) => cli(undefined, ...path, '--help')))
  for (const [i, path] of leaves.entries()) {
    const help = helps[i]!
    t.equal(help.code, 0)
    t.match(help.stdout, /--json\s+print JSON/, `${path.join(' ')} --help offers --json`)
    t.match(help.stdout, new RegExp(`Usage: tracker-users ${path.join(' ')}`))
  }
  t.match((await cli(undefined, 'roam-key', '--help')).stdout, /Api-Key header/)
  t.match((await cli(undefined, '--version')).stdout, /^\d+\.\d+\.\d+\n$/)
})

t.test('output that cannot be written: a reader gone (`| head -1`) ends it silently with 141, as SIGPIPE would; a full disk in one line', async (t) => {
  const exitOf = async (stdout: 'pipe' | number) => {
    const command = spawn(process.execPath, [...CLI_ARGS, '--help'], { stdio: ['ignore', stdout, 'pipe'] })
    command.stdout?.destroy() // the reader is gone before the help is written: EPIPE
    let stderr = ''
    command.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    const [code] = await once(command, 'exit')
    return { code, stderr }
  }
  t.same(await exitOf('pipe'), { code: 141, stderr: '' })
  const full = openSync('/dev/full', 'w')
  t.teardown(() => closeSync(full))
  const { code, stderr } = await exitOf(full)
  t.equal(code, 1)
  t.match(stderr, /^tracker-users: cannot write the output: ENOSPC: no space left on device, write\n$/)
})

t.test('--json on every command prints one JSON document', async (t) => {
  const url = await testDatabaseUrl(t)
  const json = async (...args: string[]) => {
    const run = await cli(url, ...args, '--json')
    t.equal(run.code, 0, `${args.join(' ')} succeeds`)
    return JSON.parse(run.stdout)
  }
  t.same(await json('migrate'), { applied: [] }, 'migrate: nothing left to apply')
  const key = await json('roam-key', 'create', '--account', 'acme')
  t.match(key, { key_id: String, api_key: /^[0-9a-f]{32}$/ })
  t.match(await json('roam-key', 'list', '--account', 'acme'), [{ key_id: key.key_id, revoked_at: null }])
  t.match(await json('roam-key', 'revoke', key.key_id), { key_id: key.key_id, revoked_at: String })
  const login = await json('plaspy-user', 'create', '--account', 'acme', '--user', 'jane', '--email', 'jane@example.com')
  t.match(login, { user_id: /^usr-/, userName: 'jane', api_key: String })
  const regenerated = await json('plaspy-user', 'key', 'regenerate', '--user', 'jane')
  t.match(regenerated, { userName: 'jane', api_key: String })
  t.not(regenerated.api_key, login.api_key)
  t.match(await json('plaspy-user', 'key', 'revoke', '--user', 'jane'), { userName: 'jane' })
})

t.test('a bad DATABASE_URL is one clear line, never a stack trace or the password', async (t) => {
  const wrongScheme = await cliProcess('mysql://root:hunter2@localhost/db', 'roam-key', 'list', '--account', 'acme')
  t.equal(wrongScheme.code, 1)
  t.equal(wrongScheme.stderr.trim().split('\n').length, 1)
  t.match(wrongScheme.stderr, /^tracker-users: DATABASE_URL must be file:<path> \(SQLite\), postgresql:\/\/…/)
  t.notMatch(wrongScheme.stderr, /hunter2/)

  const unreachable = await cli('postgresql://postgres:hunter2@127.0.0.1:1/test', 'migrate')
  t.equal(unreachable.code, 1)
  t.equal(unreachable.stderr.trim().split('\n').length, 1)
  t.notMatch(unreachable.stderr, /hunter2|\n\s+at /)
  t.match(unreachable.stderr, /^tracker-users: cannot open Postgres at 127\.0\.0\.1:1 \(DATABASE_URL\): Can't reach database server/)

  const listing = await cli('postgresql://postgres:hunter2@127.0.0.1:1/test', 'roam-key', 'list', '--account', 'acme')
  t.match(listing.stderr, /^tracker-users: cannot open Postgres at 127\.0\.0\.1:1 \(DATABASE_URL\): .*reach/)

  const asJson = await cliProcess('mysql://x', 'migrate', '--json')
  t.equal(asJson.code, 1)
  t.match(JSON.parse(asJson.stderr), { error: /^DATABASE_URL must be/ }, 'with --json the error is JSON too')
})

t.test('an unmigrated Postgres: every command that needs the tables says what to run, in one line, and writes nothing', { skip: testProvider() !== 'postgresql' && 'SQLite is migrated by the command itself' }, async (t) => {
  const url = await testDatabaseUrl(t, { migrate: false })
  const lacks = /^the database lacks \d+ migration\(s\), from \w+: run `tracker-users migrate` with DATABASE_URL of the tables' owner, then run this again$/
  for (const args of [
    ['roam-key', 'create', '--account', 'acme'],
    ['roam-key', 'list', '--account', 'acme'],
    ['plaspy-user', 'create', '--account', 'acme', '--user', 'ana', '--email', 'ana@example.com'],
    ['reset', '--yes']
  ]) {
    const run = await cli(url, ...args)
    t.equal(run.code, 1, args.join(' '))
    t.equal(run.stdout, '')
    t.match(run.stderr.replace(/^tracker-users: /, '').trimEnd(), lacks, `${args.join(' ')}: ${run.stderr.trim()}`)
  }
  const asJson = await cli(url, 'roam-key', 'list', '--account', 'acme', '--json')
  t.match(JSON.parse(asJson.stderr), { error: lacks })
  t.equal((await cli(url, 'migrate')).code, 0, 'migrating afterwards finds nothing in its way')
  t.match(await cli(url, 'roam-key', 'create', '--account', 'acme'), { code: 0, stderr: '' }, 'and then the same command works')
})

t.test('with --json, a wrong command line is a JSON error too, as the help promises', async (t) => {
  for (const [args, error] of [
    [['roam-key', 'create'], "required option '--account <name>' not specified"],
    [['roam-key', 'list', '--account', 'acme', '--bogus'], "unknown option '--bogus'"],
    [['bogus'], "unknown command 'bogus'"],
    [['reset'], "reset empties every table of DATABASE_URL's database; run it with --yes to do so"],
    [['migrate', 'resolve'], 'migrate resolve takes one of --rolled-back <migration> or --applied <migration>']
  ] as const) {
    const run = await cli(undefined, ...args, '--json')
    t.same({ code: run.code, stdout: run.stdout, stderr: JSON.parse(run.stderr) }, { code: 1, stdout: '', stderr: { error } }, args.join(' '))
  }
  const plain = await cli(undefined, 'roam-key', 'create')
  t.match(plain, { code: 1, stderr: /^error: required option '--account <name>' not specified\n/ }, 'without --json, commander\'s own words')
})

t.test('a migration that fails halfway names its cause and the fix, and can be resolved and retried', { skip: testProvider() !== 'postgresql' && 'Postgres only: the failure is a missing CREATEROLE' }, async (t) => {
  // An owner of its schema without CREATEROLE, asked for an app role nobody made yet: the role's migration fails.
  const suffix = randomBytes(4).toString('hex')
  const [owner, appRole, schema] = [`tracker_users_owner_${suffix}`, `tracker_users_role_${suffix}`, `mig_${suffix}`]
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' })
  await admin.connect()
  await admin.query(`CREATE ROLE ${owner} LOGIN PASSWORD '${owner}'; CREATE SCHEMA ${schema} AUTHORIZATION ${owner}`)
  t.teardown(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    for (const role of [appRole, owner]) await admin.query(`DROP OWNED BY ${role}`).then(() => admin.query(`DROP ROLE ${role}`), () => {})
    await admin.end()
  })
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test')
  url.username = url.password = owner
  url.searchParams.set('schema', schema)
  const migration = '20261204060000_app_role_per_database'
  const retry = `fix the cause, then run \`tracker-users migrate resolve --rolled-back ${migration}\` and \`tracker-users migrate\` again`

  const failed = await cli(url.href, 'migrate', '--app-role', appRole)
  t.equal(failed.code, 1)
  t.equal(failed.stderr, `tracker-users: migration ${migration} failed: permission denied to create role (the owner needs CREATEROLE, or a DBA makes the app role first: CREATE ROLE <name> NOLOGIN); nothing of it was applied: ${retry}\n`,
    'one line: the migration, the database\'s reason, the fix; no backtrace, no "cannot open"')
  t.same((await admin.query(`SELECT to_regprocedure('${schema}.tracker_users_app_role()') AS made`)).rows, [{ made: null }], 'nothing of it is left')

  const blocked = await cli(url.href, 'migrate', '--app-role', appRole)
  t.equal(blocked.stderr, `tracker-users: migration ${migration} failed in an earlier run and blocks the others: ${retry} (or \`--applied\` if you completed it by hand)\n`)
  t.match((await cli(url.href, 'migrate', 'resolve')).stderr, /migrate resolve takes one of --rolled-back <migration> or --applied <migration>/)
  t.match((await cli(url.href, 'migrate', 'resolve', '--rolled-back', 'no_such_migration')).stderr, /there is no migration "no_such_migration"/)

  // The fix (a DBA makes the role), the resolution, the retry.
  await admin.query(`CREATE ROLE ${appRole} NOLOGIN`)
  const resolved = await cli(url.href, 'migrate', 'resolve', '--rolled-back', migration, '--json')
  t.same(JSON.parse(resolved.stdout), { resolved: migration, as: 'rolled-back' })
  const retried = await cli(url.href, 'migrate', '--app-role', appRole, '--json')
  const later = readdirSync(join(PACKAGE_ROOT, 'prisma/migrations/postgres')).filter((name) => name > migration && name !== 'migration_lock.toml')
  t.same(JSON.parse(retried.stdout), { applied: [migration, ...later] }, 'the next migrate runs it again, and it applies (then the ones after it)')
  t.same((await admin.query(`SELECT ${schema}.tracker_users_app_role() AS role`)).rows, [{ role: appRole }])
  t.same((await cli(url.href, 'migrate', '--json')).stdout.trim(), '{"applied":[]}', 'and nothing is left to apply')
})

t.test('on SQLite too, a migration that fails halfway leaves nothing of itself and can be resolved and retried', { skip: testProvider() !== 'sqlite' && 'SQLite only: Postgres runs each script as one transaction by nature' }, async (t) => {
  // A database from before the hours migration, with a trigger of it left over from an attempt by hand: the
  // migration's table and first two triggers are made, its third trigger fails ("already exists").
  const url = await testDatabaseUrl(t)
  const migration = '20261204112926_roam_user_hours'
  const inFile = <T>(work: (file: Database.Database) => T): T => {
    const file = new Database(new URL(url).pathname)
    try { return work(file) } finally { file.close() }
  }
  const objects = () => inFile((file) => file.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'roam_user_hours%' ORDER BY name").pluck().all())
  inFile((file) => file.exec(`DELETE FROM _prisma_migrations WHERE migration_name = '${migration}';
    DROP TRIGGER roam_user_hours_insert; DROP TRIGGER roam_user_hours_delete; DROP TABLE roam_user_hours`))
  t.same(objects(), ['roam_user_hours_update'])

  const failed = await cli(url, 'migrate')
  t.equal(failed.code, 1)
  t.equal(failed.stderr, `tracker-users: migration ${migration} failed: trigger "roam_user_hours_update" already exists; nothing of it was applied: fix the cause, then run \`tracker-users migrate resolve --rolled-back ${migration}\` and \`tracker-users migrate\` again\n`)
  t.same(objects(), ['roam_user_hours_update'], 'neither the table nor the two triggers made before the failure are left')

  inFile((file) => file.exec('DROP TRIGGER roam_user_hours_update'))
  t.equal((await cli(url, 'migrate', 'resolve', '--rolled-back', migration)).code, 0)
  t.same(JSON.parse((await cli(url, 'migrate', '--json')).stdout), { applied: [migration] })
  t.same(objects(), ['roam_user_hours', 'roam_user_hours_delete', 'roam_user_hours_insert', 'roam_user_hours_update'], 'the table and its three triggers')
})

t.test('a SQLite file in use by another process: migrate says so in one line and records nothing', { skip: testProvider() !== 'sqlite' && 'SQLite only' }, async (t) => {
  const url = await testDatabaseUrl(t)
  const path = new URL(url).pathname
  const migration = '20261204112926_roam_user_hours'
  const other = new Database(path) // as a running server holds it: open, and written through
  t.teardown(() => other.close())
  other.exec(`DELETE FROM _prisma_migrations WHERE migration_name = '${migration}'; DROP TABLE roam_user_hours;
    DROP TRIGGER roam_user_hours_insert; DROP TRIGGER roam_user_hours_delete; DROP TRIGGER roam_user_hours_update`)
  const locked = await cliProcess(url, 'migrate')
  t.equal(locked.code, 1)
  t.equal(locked.stderr, `tracker-users: ${path} is in use by another process (a running server, a sqlite3 shell) and SQLite migrations need it alone: stop that process, then run this again\n`)
  t.same(other.prepare('SELECT count(*) FROM _prisma_migrations WHERE migration_name = ?').pluck().get(migration), 0, 'no failed migration is recorded: a plain rerun applies it')
  other.close()
  t.same(JSON.parse((await cli(url, 'migrate', '--json')).stdout), { applied: [migration] })
})

t.test('a SQLite migration runs with foreign keys off and checked at its end: redefining a table cascades to no child', { skip: testProvider() !== 'sqlite' && 'SQLite only' }, async (t) => {
  const { adapterFor } = await import('../src/db/adapters.js')
  const { parseDatabaseUrl } = await import('../src/db/url.js')
  const adapter = await adapterFor(parseDatabaseUrl(await testDatabaseUrl(t, { migrate: false }))).connect()
  t.teardown(() => adapter.dispose())
  const count = async (table: string) => Number((await adapter.queryRaw({ sql: `SELECT count(*) FROM ${table}`, args: [], argTypes: [] })).rows[0]![0])
  await adapter.executeScript(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
    CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);
    INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1)`)
  // Prisma's RedefineTables, as in prisma/migrations/sqlite/20261124012832_user_version.
  await adapter.executeScript(`PRAGMA defer_foreign_keys=ON; PRAGMA foreign_keys=OFF;
    CREATE TABLE new_parent (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO new_parent (id) SELECT id FROM parent;
    DROP TABLE parent; ALTER TABLE new_parent RENAME TO parent; PRAGMA foreign_keys=ON; PRAGMA defer_foreign_keys=OFF`)
  t.equal(await count('child'), 1, 'the child row survives its parent table\'s redefinition')

  await t.rejects(adapter.executeScript('INSERT INTO child VALUES (2)'), /without the row their foreign key names/)
  t.equal(await count('child'), 1, 'a script that breaks a foreign key is rolled back whole')
  await t.rejects(adapter.executeScript('INSERT INTO child VALUES (1); INSERT INTO nowhere VALUES (1)'), /TableDoesNotExist/)
  t.equal(await count('child'), 1, 'a script that fails at its second statement keeps nothing of its first')
  await t.rejects(adapter.executeRaw({ sql: 'INSERT INTO child VALUES (3)', args: [], argTypes: [] }), /ForeignKeyConstraintViolation/, 'and foreign keys are on again after each script')
})

t.test('DATABASE_URL from a .env in the working directory; the environment wins', { skip: testProvider() === 'postgresql' && 'a file\'s settings, whatever the database: run once' }, async (t) => {
  const dir = t.testdir({ '.env': 'DATABASE_URL=file:from-dotenv.db\n' })
  const { DATABASE_URL: _, ...environment } = process.env
  const run = (env: NodeJS.ProcessEnv) => promisify(execFile)(process.execPath, [...CLI_ARGS, 'roam-key', 'create', '--account', 'acme', '--json'], { cwd: dir, env })
  await run(environment)
  t.same(readdirSync(dir).filter((name) => name.endsWith('.db')), ['from-dotenv.db'], 'the file .env names was created and written')
  await run({ ...environment, DATABASE_URL: 'file:from-environment.db' })
  t.same(readdirSync(dir).filter((name) => name.endsWith('.db')).sort(), ['from-dotenv.db', 'from-environment.db'], 'the environment\'s own setting wins')
  const keys = (file: string) => {
    const db = new Database(join(dir, file), { readonly: true })
    try { return db.prepare('SELECT count(*) AS n FROM roam_api_keys').get() } finally { db.close() }
  }
  t.same([keys('from-dotenv.db'), keys('from-environment.db')], [{ n: 1 }, { n: 1 }], 'one key in each')
})
