// Passwords are stored as argon2id PHC strings with OWASP's minimum parameters (m=19 MiB, t=2, p=1),
// written out so that a library default changing under us cannot weaken them.
import { type Algorithm, hash } from '@node-rs/argon2'

// `Algorithm` is a const enum, which isolatedModules cannot read: 2 is its Argon2id.
const owasp = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export function hashPassword (password: string): Promise<string> {
  return hash(password, owasp)
}
