// What production runs: the compiled build (npm run build, which installs run and `npm test` runs first), not the
// TypeScript sources. The server process is node and dist/ alone: no TypeScript loader, no helper process; the
// command and the typed client's package export are compiled too. Start-up time and memory are printed, not
// asserted (npm run bench measures; a timed test would measure the machine).
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { PACKAGE_ROOT as root } from '../src/platform/package-root.js'
import { testDatabaseUrl } from './helpers/database.js'
import { startServer } from './helpers/server.js'

t.setTimeout(120_000)
const packageJson = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'))

t.test('npm start, the bin and the client export point at the build, and nothing needs tsx at run time', async (t) => {
  t.equal(packageJson.scripts.start, 'node --max-semi-space-size=8 dist/src/server.js')
  t.same(packageJson.exports['./client'], { types: './dist/src/client.d.ts', default: './dist/src/client.js' })
  t.notOk('tsx' in packageJson.dependencies, 'tsx is a devDependency only')
  const bin = await readFile(join(root, 'bin/tracker-users.js'), 'utf8')
  t.match(bin, /import\('\.\.\/dist\/src\/cli\.js'\)/)
  t.notMatch(bin, /from 'tsx|register\(/, 'the bin loads no TypeScript loader')
})

t.test('the compiled server serves, is one process with no loader, and stops on SIGTERM', async (t) => {
  const databaseUrl = await testDatabaseUrl(t)
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/tracker-users.js', 'roam-key', 'create', '--account', 'acme', '--json'], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } })
  const { api_key: apiKey } = JSON.parse(stdout)

  const started = performance.now()
  const { base, process: server, log } = await startServer(t, { DATABASE_URL: databaseUrl }, { compiled: true })
  const readyMs = performance.now() - started

  // Bodies are read to the end: an answer left unread would keep its connection busy through the shutdown.
  const created = await fetch(`${base}/v1/api/user/`, { method: 'POST', headers: { 'api-key': apiKey, 'content-type': 'application/json' }, body: '{"app_type":1,"device_token":"t"}' })
  t.equal(created.status, 201, 'a Roam create through the compiled server')
  await created.arrayBuffer()
  const spec = await fetch(`${base}/docs/json`)
  t.equal(spec.status, 200, 'the spec, read from the package root')
  await spec.arrayBuffer()

  const commandLine = (await readFile(`/proc/${server.pid}/cmdline`, 'utf8')).split('\0').filter(Boolean)
  t.same(commandLine.slice(1), ['--max-semi-space-size=8', 'dist/src/server.js'], 'node runs the build as npm start does, with no --import loader')
  const children = (await readFile(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8')).trim()
  t.equal(children, '', 'and starts no helper process (tsx starts esbuild)')
  const rssMb = Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024
  t.comment(`compiled server: listening ${readyMs.toFixed(0)} ms after spawn, RSS ${rssMb.toFixed(0)} MB after two requests`)

  server.kill('SIGTERM')
  const [code] = await once(server, 'exit')
  t.equal(code, 0, 'exit code 0', { log: log().split('\n').slice(-5) })
})

t.test('the package ships what runs and nothing else; its client works from plain JavaScript', async (t) => {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json'], { cwd: root })
  const shipped = new Set((JSON.parse(stdout)[0].files as Array<{ path: string }>).map((file) => file.path))
  const migrations = (await promisify(execFile)('git', ['ls-files', 'prisma/migrations'], { cwd: root })).stdout.trim().split('\n')
  for (const path of ['bin/tracker-users.js', 'dist/src/server.js', 'dist/src/cli.js', 'dist/src/client.js', 'dist/src/client.d.ts',
    'dist/generated/openapi.d.ts', 'dist/generated/schemas.js', 'generated/openapi.json', 'openapi.yaml', 'fixtures/vendor-samples.yaml', 'fixtures/seed.schema.json', ...migrations]) {
    t.ok(shipped.has(path), `ships ${path}`)
  }
  const extra = [...shipped].filter((path) => /^(src|test|bench|scripts|generated|\.ci|dist\/generated\/prisma\/\w+\/client)\//.test(path) && !['scripts/prepare.js', 'generated/openapi.json'].includes(path))
  t.same(extra, [], 'no sources, tests, benches or the tests\' Prisma client')

  // As a user's module imports it: node alone, the package's own name, no TypeScript.
  const script = "import { createTrackerClient } from 'tracker-users/client'; const { response } = await createTrackerClient(process.argv[1]).GET('/healthz'); console.log(response.status)"
  const base = (await startServer(t, { DATABASE_URL: await testDatabaseUrl(t) }, { compiled: true })).base
  const plain = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, base], { cwd: root })
  t.equal(plain.stdout, '200\n')
})
