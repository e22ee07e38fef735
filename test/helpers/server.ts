// The real process, as `npm start` runs it, for tests that need HTTP from outside (a browser, two instances),
// and the command in a process of its own (test/helpers/command.ts runs it in this one).
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import type { CommandRun } from './command.js'
import { serverDatabaseUrl } from './database.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
/**
 * `node CLI_ARGS… <command>` runs the tracker-users command from its TypeScript sources, as bin/tracker-users.js
 * runs the compiled one: tests check what is written, not what was last built (test/build.test.ts checks the build).
 */
export const CLI_ARGS = ['--import', 'tsx', fileURLToPath(new URL('../../src/cli.ts', import.meta.url))]

export interface RunningServer {
  base: string
  /** Everything the process wrote to stdout so far (JSON log lines). */
  log: () => string
  process: ChildProcess
}

/**
 * Starts `src/server.ts` (through tsx), or with `compiled` the build as production runs it (`dist/src/server.js`),
 * on a free port with `env` added; killed when the test ends.
 */
export async function startServer (t: Test, env: NodeJS.ProcessEnv, { compiled = false } = {}): Promise<RunningServer> {
  // As deployed: on Postgres the server connects as its own role, bound by row-level security.
  const databaseUrl = env.DATABASE_URL ? { DATABASE_URL: await serverDatabaseUrl(env.DATABASE_URL) } : {}
  const server = spawn(process.execPath, compiled ? ['dist/src/server.js'] : ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
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
