// Password hashes: argon2id with @node-rs/argon2's defaults (19 MiB, t=2, p=1,
// OWASP's minimum), stored as a PHC string that carries its own parameters.
import {hash, verify} from '@node-rs/argon2'
import {PasserelleError} from '../errors.ts'

// @node-rs/argon2's `Algorithm` is a const enum, which this build's isolated modules cannot read: 2 is Argon2id.
const argon2id = 2

export const minPasswordLength = 12

export async function hashPassword(password: string): Promise<string> {
  if ([...password].length < minPasswordLength) {
    throw new PasserelleError('E_INPUT', `password is shorter than ${minPasswordLength} characters`, {hint: 'choose a longer password (a passphrase works well)'})
  }
  return hash(password, {algorithm: argon2id})
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false)
}
