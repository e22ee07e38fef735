// The tracker-users command as a person and a script meet it: help that says what each command does,
// --json on every command, one clear line (or JSON) for a bad or unreachable DATABASE_URL.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { testDatabaseUrl } from './helpers/database.js'

// Real processes (each start loads TypeScript through tsx): more than tap's default 30 s under a parallel run.
t.setTimeout(180_000)

const bin = fileURLToPath(new URL('../bin/tracker-users.js', import.meta.url))

async function cli (databaseUrl: string | undefined, ...args: string[]) {
  const env = { ...process.env, DATABASE_URL: databaseUrl ?? '' }
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number, stdout: string, stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

t.test('--help lists every command and the environment; each command\'s help offers --json', async (t) => {
  const top = await cli(undefined, '--help')
  t.equal(top.code, 0)
  for (const text of ['migrate', 'roam-key', 'plaspy-user', 'DATABASE_URL', '--json', 'Examples:']) t.match(top.stdout, text)
  const leaves = [['migrate'], ['roam-key', 'create'], ['roam-key', 'list'], ['roam-key', 'revoke'],
    ['plaspy-user', 'create'], ['plaspy-user', 'key', 'regenerate'], ['plaspy-user', 'key', 'revoke']]
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
  const wrongScheme = await cli('mysql://root:hunter2@localhost/db', 'roam-key', 'list', '--account', 'acme')
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

  const asJson = await cli('mysql://x', 'migrate', '--json')
  t.equal(asJson.code, 1)
  t.match(JSON.parse(asJson.stderr), { error: /^DATABASE_URL must be/ }, 'with --json the error is JSON too')
})
