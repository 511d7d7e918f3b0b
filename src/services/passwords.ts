import argon2 from 'argon2';
import type { Config } from '../config';
import { normalizePassword } from '../domain/password-policy';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * Spends the time of one verification on nothing, so a login for an unknown email takes as
   * long as one with a wrong password and the timing reveals nothing.
   */
  burnVerification(password: string): Promise<void>;
}

/** argon2id with the configured cost. Passwords are NFC-normalised before hashing, like the policy counts them. */
export function createPasswordHasher(config: Config): PasswordHasher {
  const options = {
    type: argon2.argon2id as 2,
    memoryCost: config.argon2.memoryCost,
    timeCost: config.argon2.timeCost,
    parallelism: config.argon2.parallelism,
  };
  // Hashed lazily, once, with the same parameters as real hashes.
  let decoyHash: Promise<string> | undefined;
  return {
    hash: (password) => argon2.hash(normalizePassword(password), options),
    verify: async (hash, password) => {
      try {
        return await argon2.verify(hash, normalizePassword(password));
      } catch {
        return false;
      }
    },
    async burnVerification(password) {
      decoyHash ??= argon2.hash('decoy password, never matches', options);
      await argon2.verify(await decoyHash, normalizePassword(password)).catch(() => false);
    },
  };
}
