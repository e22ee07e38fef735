// Passwords are stored as argon2id PHC strings with OWASP's minimum parameters (m=19 MiB, t=2, p=1),
// written out so that a library default changing under us cannot weaken them.
import type { Algorithm } from '@node-rs/argon2'

// `Algorithm` is a const enum, which isolatedModules cannot read: 2 is its Argon2id.
const owasp = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 }

/** The native module loads with the first password (3 MB of memory a server without passwords never needs). */
export async function hashPassword (password: string): Promise<string> {
  const { hash } = await import('@node-rs/argon2')
  return await hash(password, owasp)
}
