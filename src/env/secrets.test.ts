import { describe, expect, test } from 'vitest';

import { isSecret } from './secrets.js';

describe('isSecret', () => {
  test('by name, by a URL with a password, by a token that announces itself; not plain settings', () => {
    const secret = [
      ['SESSION_SECRET', 'x'],
      ['DB_PASSWORD', 'x'],
      ['STRIPE_SK', 'x'],
      ['GITHUB_TOKEN', 'x'],
      ['MONGO_URL', 'mongodb://localhost/db'],
      ['UPSTREAM', 'postgres://app:hunter2@db:5432/app'],
      ['BILLING', 'sk_live_51abc'],
      ['CI_BOT', 'ghp_abcdef'],
      ['MYSQL_PWD', 'x'],
      ['DB_PWD', 'x'],
      ['SIGNED', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'],
    ];
    for (const [name, value] of secret) expect(isSecret(name ?? '', value ?? ''), name).toBe(true);
    for (const [name, value] of [
      ['MODE', 'demo'],
      ['PORT', '5000'],
      ['WEB_CONCURRENCY', '2'],
      ['LOG_LEVEL', 'info'],
      ['HOMEPAGE', 'https://example.com/a@b'],
      // the shell's working directories: every path amnesia printed read <PWD>/examples/...
      ['PWD', '/home/dev/app'],
      ['OLDPWD', '/home/dev'],
    ]) {
      expect(isSecret(name ?? '', value ?? ''), name).toBe(false);
    }
  });
});
