// `tracker-users conformance` (src/conformance): it passes against this server on either database, sends only reads
// with --read-only, writes JUnit XML, and fails against `prism mock`, which answers from examples without state.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { junitXml } from '../../src/conformance/junit.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'
import { VENDOR_SAMPLES } from '../helpers/fixtures.js'
import { startPrism } from '../helpers/prism.js'
import { cli } from '../helpers/command.js'
import { startServer } from '../helpers/server.js'

t.setTimeout(180_000)

const credentials = ['--roam-key', '63598c5b3aa84f14914013709402bbc9', '--plaspy-user', 'your_username', '--plaspy-key', 'your_api_key']

/** The server on a database seeded with the vendor samples (on Postgres by the CLI as the owner, as deployed). */
async function seededServer (t: Test) {
  const url = await testDatabaseUrl(t)
  t.equal((await cli(url, 'seed', VENDOR_SAMPLES)).code, 0)
  return startServer(t, { DATABASE_URL: url })
}

t.test('against this server: every check passes, one line each, and the JUnit report says so', async (t) => {
  const server = await seededServer(t)
  const junit = join(t.testdir(), 'conformance.xml')
  const run = await cli(undefined, 'conformance', '--base-url', server.base, ...credentials, '--junit', junit)
  const lines = run.stdout.trim().split('\n')
  t.equal(run.code, 0, run.stdout)
  t.equal(lines.filter((line) => line.startsWith('ok ')).length, 24)
  t.same(lines.filter((line) => line.startsWith('not ok')), [])
  t.equal(lines.at(-1), '24 of 24 checks passed')
  for (const stateful of ['roam: the created user is read back by user_id, as created', 'plaspy: Delete User answers 200; the user is then 404']) {
    t.ok(lines.some((line) => line.endsWith(stateful)), stateful)
  }
  const report = await readFile(junit, 'utf8')
  t.match(report, /<testsuite name="tracker-users conformance" tests="24" failures="0"/)
  t.equal(report.match(/<testcase /g)?.length, 24)
})

t.test('--read-only sends only reads (and a sign-in) and changes no user', async (t) => {
  const server = await seededServer(t)
  const run = await cli(undefined, 'conformance', '--base-url', server.base, ...credentials, '--read-only', '--json')
  t.equal(run.code, 0)
  const { passed, failed, checks } = JSON.parse(run.stdout)
  t.same([passed, failed], [12, 0])
  t.notOk(checks.some((check: { name: string }) => /Create|Update|Delete|Patch/.test(check.name)), 'no writing check ran')
  const sent = server.log().split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((line) => line.msg === 'incoming request')
    .map((line) => `${line.req.method} ${line.req.url.split('?')[0]}`)
  t.same([...new Set(sent.filter((request: string) => !request.startsWith('GET ')))], ['POST /api/Auth/Token'], 'nothing but GETs and the sign-in')
})

t.test('against prism mock (examples, no state) it fails: the stateful checks and the refusals catch it', async (t) => {
  const prism = await startPrism(t, 'mock')
  const run = await cli(undefined, 'conformance', '--base-url', prism.base, ...credentials, '--json')
  t.equal(run.code, 1)
  const failed = (JSON.parse(run.stdout).checks as Array<{ name: string, failure?: string }>).filter((check) => check.failure !== undefined).map((check) => check.name)
  for (const name of ['the created user is read back by user_id, as created', 'the created user is read back, as created, and listed', 'an unknown user answers 404', 'Auth/Token with a wrong key answers 401 in Plaspy\'s envelope']) {
    t.ok(failed.includes(name), `fails: ${name}`)
  }
})

t.test('bad arguments: one line each, exit 1', { skip: testProvider() === 'postgresql' && 'no database involved: run once' }, async (t) => {
  for (const [args, message] of [
    [['--base-url', 'nowhere', '--roam-key', 'k'], /--base-url must be a URL/],
    [['--base-url', 'http://127.0.0.1:1'], /give --roam-key, or --plaspy-user with --plaspy-key, or both/],
    [['--base-url', 'http://127.0.0.1:1', '--plaspy-user', 'u'], /--plaspy-user and --plaspy-key go together/]
  ] as const) {
    const run = await cli(undefined, 'conformance', ...args)
    t.equal(run.code, 1)
    t.match(run.stderr, message)
  }
  const unreachable = await cli(undefined, 'conformance', '--base-url', 'http://127.0.0.1:1', '--roam-key', 'k')
  t.equal(unreachable.code, 1, 'a server that does not answer fails every check')
  t.match(unreachable.stdout, /^not ok 1 roam: .*fetch failed/m)
})

t.test('JUnit XML: counts, failures with their message, and text XML cannot hold made safe', { skip: testProvider() === 'postgresql' && 'pure: run once' }, async (t) => {
  const xml = junitXml([
    { dialect: 'roam', name: 'a & b <c>', ms: 1500 },
    { dialect: 'plaspy', name: 'quote "it"', failure: 'bad\u0000 \ud800 \'x\'', ms: 2 }
  ])
  t.match(xml, '<testsuites tests="2" failures="1" time="1.502">')
  t.match(xml, '<testcase classname="roam" name="a &#38; b &#60;c&#62;" time="1.500"></testcase>')
  t.match(xml, '<failure message="bad\ufffd \ufffd &#39;x&#39;"/>')
  t.match(xml, 'name="quote &#34;it&#34;"')
})
