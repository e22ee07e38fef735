// The real process, as `npm start` runs it, for tests that need HTTP from outside (a browser, two instances),
// and the command in a process of its own (test/helpers/command.ts runs it in this one).
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { npmStartArgs, PACKAGE_ROOT } from '../../src/platform/package-root.js'
import type { CommandRun } from './command.js'
import { serverDatabaseUrl } from './database.js'

/**
 * The tests run compiled (`npm test` runs dist/test/ after building it with the sources), or from their TypeScript
 * through tsx (`npm run test:ts -- FILE`, no build). What they start runs in the same form as they do, so a test
 * checks the code it was built with: dist/ beside dist/test/, src/ beside test/ (test/build.test.ts checks the build
 * as production runs it, and bin/tracker-users.js).
 */
const compiledTests = import.meta.url.endsWith('.js')
/** `node SERVER_ARGS…` in PACKAGE_ROOT starts the server. */
export const SERVER_ARGS = compiledTests ? npmStartArgs() : ['--import', 'tsx', 'src/server.ts']
/** `node CLI_ARGS… <command>` runs the tracker-users command, from any directory. */
export const CLI_ARGS = compiledTests ? [join(PACKAGE_ROOT, 'dist/src/cli.js')] : ['--import', 'tsx', join(PACKAGE_ROOT, 'src/cli.ts')]

export interface RunningServer {
  base: string
  /** Everything the process wrote to stdout so far (JSON log lines). */
  log: () => string
  process: ChildProcess
}

/**
 * Starts the server (SERVER_ARGS), or with `compiled` the build as production runs it (`npm start`'s arguments), on a
 * free port with `env` added; killed when the test ends.
 */
export async function startServer (t: Test, env: NodeJS.ProcessEnv, { compiled = false } = {}): Promise<RunningServer> {
  // As deployed: on Postgres the server connects as its own role, bound by row-level security.
  const databaseUrl = env.DATABASE_URL ? { DATABASE_URL: await serverDatabaseUrl(env.DATABASE_URL) } : {}
  const server = spawn(process.execPath, compiled ? npmStartArgs() : SERVER_ARGS, {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env, ...databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => { if (server.exitCode === null) server.kill('SIGKILL') })
  let log = ''
  server.stdout.setEncoding('utf8').on('data', (chunk: string) => { log += chunk })
  const base = await new Promise<string>((resolve, reject) => {
    server.stdout.on('data', () => {
      const address = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1]
      if (address) resolve(address)
    })
    server.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)))
  })
  return { base, log: () => log, process: server }
}

/** Runs `tracker-users ARGS` in a process of its own against DATABASE_URL (unset: none); a failure is answered, not thrown. */
export async function cliProcess (databaseUrl: string | undefined, ...args: string[]): Promise<CommandRun> {
  const env = { ...process.env, DATABASE_URL: databaseUrl ?? '' }
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...CLI_ARGS, ...args], { env, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number, stdout: string, stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

/** Starts the server with `env` added, expecting it to stop before it listens: its exit code and stderr. */
export async function failedStart (env: NodeJS.ProcessEnv): Promise<{ code: number | null, stderr: string }> {
  const server = spawn(process.execPath, SERVER_ARGS, {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const [code] = await once(server, 'exit') as [number | null]
  return { code, stderr }
}
