// Prism (Stoplight's), as the tests run it: `prism proxy` checking a server's answers against openapi.yaml, or
// `prism mock` answering every request from the spec's examples, with no state.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { Test } from 'tap'
import { PACKAGE_ROOT } from '../../src/platform/package-root.js'

const prismCli = join(PACKAGE_ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js')

export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * `prism proxy` in front of `upstream` (a URL), or `prism mock` (`upstream` 'mock'), with everything it prints;
 * killed when the test ends.
 */
export async function startPrism (t: Test, upstream: string) {
  const port = await freePort()
  const mode = upstream === 'mock' ? ['mock', 'openapi.yaml'] : ['proxy', 'openapi.yaml', upstream, '--errors', '--validate-request=false']
  const prism = spawn(process.execPath, [prismCli, ...mode, '-p', String(port), '-h', '127.0.0.1'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => { if (prism.exitCode === null) prism.kill('SIGKILL') })
  let log = ''
  for (const stream of [prism.stdout, prism.stderr]) stream.setEncoding('utf8').on('data', (chunk: string) => { log += chunk })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in 60 s:\n${log}`)), 60_000)
    prism.stdout.on('data', () => { if (log.includes('Prism is listening on')) { clearTimeout(timer); resolve() } })
    prism.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Prism exited with ${code}:\n${log}`)) })
  })
  prism.once('exit', (code, signal) => { log += `\n[prism exited: ${code ?? signal}]\n` })
  // 'close' comes once the process has exited and its output streams have ended: the log is then whole.
  const closed = once(prism, 'close')
  const stop = async () => {
    if (prism.exitCode === null) prism.kill('SIGTERM')
    await closed
    return log
  }
  return { base: `http://127.0.0.1:${port}`, log: () => log, stop }
}
