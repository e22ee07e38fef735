// A TCP forwarder that a test can cut and restore: a database server that goes away and comes back, seen
// from the app exactly as a network outage is (resets on open connections, refused new ones).
// Hand-written: twenty lines of node:net, where a package would add a dependency for less control (toxiproxy,
// the usual tool, is a server binary of its own).
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { Test } from 'tap'

export class TcpProxy {
  readonly #sockets = new Set<Socket>()
  #server: Server | undefined

  private constructor (readonly target: { host: string, port: number }, public port = 0) {}

  /** Listens on a free port of 127.0.0.1 and forwards to `target`; closed when the test ends. */
  static async start (t: Test, target: { host: string, port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target)
    await proxy.restore()
    t.teardown(() => proxy.cut())
    return proxy
  }

  /** Whether the proxy forwards right now. */
  get up (): boolean {
    return this.#server !== undefined
  }

  /** The outage: open connections are reset and the port refuses new ones (ECONNREFUSED). */
  async cut (): Promise<void> {
    const server = this.#server
    this.#server = undefined
    for (const socket of this.#sockets) socket.resetAndDestroy()
    this.#sockets.clear()
    if (server) await new Promise((resolve) => server.close(resolve))
  }

  /** Forwards again, on the same port, so that URLs handed out before keep working. */
  async restore (): Promise<void> {
    if (this.#server) return
    const server = createServer((client) => this.#forward(client))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject).listen(this.port, '127.0.0.1', () => resolve())
    })
    this.port = (server.address() as { port: number }).port
    this.#server = server
  }

  #forward (client: Socket): void {
    const upstream = connect(this.target.port, this.target.host)
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      this.#sockets.add(from)
      from.pipe(to)
      from.on('error', () => to.destroy())
      from.on('close', () => { this.#sockets.delete(from); to.destroy() })
    }
  }
}
