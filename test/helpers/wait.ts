// Waiting for what happens elsewhere (another process's NOTIFY, a server's log, a connection coming up) by
// polling, never by sleeping a fixed time: a loaded machine only makes the wait longer, not the test wrong.

/** Whether `condition` holds within `ms`, polled every 10 ms. */
export async function eventually (condition: () => boolean | Promise<boolean>, ms = 2_000): Promise<boolean> {
  for (const deadline = Date.now() + ms; ; await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (await condition()) return true
    if (Date.now() > deadline) return false
  }
}
