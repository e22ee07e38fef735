// The tracker-users command run in this process (src/program.ts), as tests build the app instead of spawning the
// server: its exit code and what it wrote, as a shell sees them, without loading the program afresh for each
// run. The process's own part (exit status, .env, the compiled bin) is test/cli.test.ts's and test/build.test.ts's.
import { runCommand } from '../../src/program.js'

export interface CommandRun { code: number, stdout: string, stderr: string }

let last: Promise<unknown> = Promise.resolve()

/**
 * Runs `tracker-users ARGS` against DATABASE_URL (unset: none); a failure is answered, not thrown. Runs go one at
 * a time: DATABASE_URL is the process's.
 */
export function cli (databaseUrl: string | undefined, ...args: string[]): Promise<CommandRun> {
  const run = last.then(() => runWith(databaseUrl, args))
  last = run.catch(() => {})
  return run
}

async function runWith (databaseUrl: string | undefined, args: string[]): Promise<CommandRun> {
  const saved = process.env.DATABASE_URL
  process.env.DATABASE_URL = databaseUrl ?? ''
  const run = { code: 0, stdout: '', stderr: '' }
  try {
    run.code = await runCommand(args, { output: { writeOut: (text) => { run.stdout += text }, writeErr: (text) => { run.stderr += text } } })
    return run
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL
    else process.env.DATABASE_URL = saved
  }
}

/** Runs `tracker-users ARGS --json` against DATABASE_URL and answers its parsed output; a failure throws. */
export async function mint (databaseUrl: string, ...args: string[]): Promise<any> {
  const run = await cli(databaseUrl, ...args, '--json')
  if (run.code !== 0) throw new Error(`tracker-users ${args.join(' ')} exited ${run.code}: ${run.stderr}`)
  return JSON.parse(run.stdout)
}
