// Admin accounts of the admin UI: a username and a scrypt password hash. Created by the operator
// CLI (`npm run ta -- create-admin-user`); there is no self-registration.
import { appendAuditEvent } from '../audit/append.js';
import { hashPassword } from '../crypto/password.js';
import { randomId } from '../crypto/random.js';
import { InvalidRequestError } from '../errors.js';
import type { Persistence } from '../stores.js';
import { actorOf } from '../auth/principal.js';

export interface AdminUser {
  id: string;
  /** Lowercase; unique; appears in audit actors as `admin:<username>`. */
  username: string;
  /** PHC string from src/crypto/password.ts; never shown. */
  passwordHash: string;
  createdAt: Date;
}

/** 1–64 characters: lowercase letters, digits, `.`, `_`, `-`; starting with a letter or digit. */
export const ADMIN_USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Passwords are long rather than complex (NIST SP 800-63B §5.1.1.2): 12–1024 characters. */
export const ADMIN_PASSWORD_MIN = 12;
export const ADMIN_PASSWORD_MAX = 1024;

/** Usernames are compared case-insensitively: they are stored and looked up in lowercase. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** Creates an admin account and audits it (the password never reaches the audit log). */
export async function createAdminUser(
  p: Persistence,
  actor: 'cli',
  input: { username: string; password: string },
): Promise<Omit<AdminUser, 'passwordHash'>> {
  const username = normaliseUsername(input.username);
  if (!ADMIN_USERNAME_PATTERN.test(username)) {
    throw InvalidRequestError.field(
      'username',
      "must be 1–64 characters: letters, digits, '.', '_' or '-'",
    );
  }
  if (
    [...input.password].length < ADMIN_PASSWORD_MIN ||
    input.password.length > ADMIN_PASSWORD_MAX
  ) {
    throw InvalidRequestError.field(
      'password',
      `must be ${ADMIN_PASSWORD_MIN}–${ADMIN_PASSWORD_MAX} characters`,
    );
  }
  const user: AdminUser = {
    id: randomId('adm_'),
    username,
    passwordHash: await hashPassword(input.password),
    createdAt: p.clock.now(),
  };
  await p.transact(async (s) => {
    await s.adminUsers.insert(user);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(actor),
      action: 'admin_user.created',
      subject: `admin_user:${user.username}`,
      data: { id: user.id },
    });
  });
  return { id: user.id, username: user.username, createdAt: user.createdAt };
}
