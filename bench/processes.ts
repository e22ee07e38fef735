// Servers under test run as child processes, on loopback ports chosen here, so that their memory and CPU are
// their own. Every child is killed when the harness ends, however it ends.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'

const HOST = '127.0.0.1'
const ROOT = new URL('..', import.meta.url) // children resolve `--import tsx` and relative paths from the repository
const children = new Set<ChildProcess>()
const cleanups: Array<() => Promise<void>> = []

export interface Server {
  name: string
  url: string
  pid: number
  /** Starts a new peak-RSS window (Linux: /proc/<pid>/clear_refs). */
  resetPeakRss (): void
  /** Peak resident memory since the last reset, in MB; undefined where /proc is not there. */
  peakRssMb (): number | undefined
  stop (): Promise<void>
}

/**
 * Starts `node args…` listening on a free loopback port (handed over as PORT, or spliced into the arguments
 * as `{port}`), and resolves once it answers HTTP. Choosing the port here lets the servers log at `warn`: the
 * app logs its address only at `info`, which would also log every request.
 */
export async function startServer (name: string, args: string[], env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort()
  const child = spawn(process.execPath, args.map((arg) => arg.replace('{port}', String(port))), {
    env: { ...process.env, HOST, PORT: String(port), ...env },
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.add(child)
  let output = '' // the tail, for the error message if it dies; reading also keeps the pipes from filling
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000) }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => { children.delete(child); resolve() }))
  const url = `http://${HOST}:${port}`
  try {
    await waitUntilAnswering(url, exited, 60_000)
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`${name} did not start: ${(error as Error).message}\n${output}`)
  }
  const status = `/proc/${child.pid}/status`
  return {
    name,
    url,
    pid: child.pid!,
    resetPeakRss: () => { try { writeFileSync(`/proc/${child.pid}/clear_refs`, '5') } catch {} },
    peakRssMb: () => {
      try {
        const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))?.[1]
        return kb === undefined ? undefined : Number(kb) / 1024
      } catch {
        return undefined
      }
    },
    // SIGTERM first: the app closes gracefully and exits 0, which is when --cpu-prof writes its profile.
    async stop () {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(killer)
    }
  }
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Any HTTP answer (even 404) means the server is listening. */
async function waitUntilAnswering (url: string, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let dead = false
  void exited.then(() => { dead = true })
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (dead) throw new Error('it exited')
    try {
      await (await fetch(url, { signal: AbortSignal.timeout(1000) })).arrayBuffer()
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`no answer within ${timeoutMs / 1000} s`)
}

/** Work to do before the harness exits (drop a database), also when it is interrupted. */
export function onCleanup (work: () => Promise<void>): void {
  cleanups.unshift(work)
}

/** Kills the children, then runs the clean-ups, newest first; a failing one does not stop the others. */
export async function cleanUp (): Promise<void> {
  killChildren()
  while (cleanups.length > 0) {
    await cleanups.shift()!().catch((error: Error) => console.error(`clean-up failed: ${error.message}`))
  }
}

function killChildren (): void {
  for (const child of children) child.kill('SIGKILL')
}

// The last resort: no child outlives the harness, whether it returns, throws or is interrupted.
process.on('exit', killChildren)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`)
    void cleanUp().finally(() => process.exit(130))
  })
}
