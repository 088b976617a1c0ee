import { describe, expect, test } from 'vitest';

import { FindingBook } from './findings.js';
import { sessionHint } from './hints.js';
import { Redactor } from './redact.js';
import { routePattern } from './route-pattern.js';
import { EMPTY_STACK } from './stack.js';

describe('routePattern', () => {
  test.each([
    ['GET', '/users/42', 'GET /users/:id'],
    ['GET', '/users/42?tab=1', 'GET /users/:id'],
    ['DELETE', '/orders/3f2b8c1e-5d6a-4b7c-9e8f-0a1b2c3d4e5f/items/7', 'DELETE /orders/:id/items/:id'],
    ['GET', '/files/upload-1700000000123.png', 'GET /files/:id'],
    ['GET', '/assets/deadbeefcafe.js', 'GET /assets/:id'],
    ['GET', '/profile', 'GET /profile'],
    ['GET', '/', 'GET /'],
    ['GET', '/files/photo.png', 'GET /files/photo.png'],
    ['POST', '/t/abcDEF123ghiJKL456mno', 'POST /t/:id'],
    // prefixed ids: a SKU made from a 3-digit pid was a route of its own, so findings split by SKU
    ['GET', '/prices/sku405', 'GET /prices/:id'],
    ['GET', '/orders/order-17', 'GET /orders/:id'],
    ['GET', '/u/user_8', 'GET /u/:id'],
    ['GET', '/api/v2/items', 'GET /api/v2/items'],
    ['GET', '/api/v10/items', 'GET /api/v10/items'],
  ])('%s %s', (method, path, expected) => {
    expect(routePattern(method, path)).toBe(expected);
  });
});

describe('Redactor', () => {
  const redactor = new Redactor({ API_KEY: 'sk_live_123456', SHORT: 'abc' });
  test('cookie values are never shown', () => {
    expect(redactor.cookie('connect.sid', 's:abc.def')).toBe('connect.sid=<9 chars>');
  });
  test('authorization and env-file values are redacted; short values are left alone', () => {
    expect(redactor.text('authorization: Bearer eyJhbGciOi key=sk_live_123456 abc')).toBe(
      'authorization: Bearer <redacted> key=<API_KEY> abc',
    );
  });
  test('the arrow after a redacted Authorization stays; URL passwords, secret query parameters and headers go', () => {
    expect(redactor.text('GET /me (authorization: <redacted>) → 401 from web.2')).toBe(
      'GET /me (authorization: <redacted>) → 401 from web.2',
    );
    expect(redactor.text('GET /me (authorization: abcdef) → 401')).toBe('GET /me (authorization: <redacted>) → 401');
    expect(redactor.text('DATABASE=postgres://app:hunter2@db:5432/app')).toBe(
      'DATABASE=postgres://app:<redacted>@db:5432/app',
    );
    expect(redactor.text('GET /feed?user=7&access_token=abc.def&page=2 → 200')).toBe(
      'GET /feed?user=7&access_token=<redacted>&page=2 → 200',
    );
    expect(redactor.text("curl -H 'X-Api-Key: 9f8e7d6c' -d password=pw123456")).toBe(
      "curl -H 'X-Api-Key: <redacted>' -d password=<redacted>",
    );
  });
  test('inherited variables that look secret are redacted by name; harmless ones are not', () => {
    const withShell = new Redactor({}, { GITHUB_TOKEN: 'ghp_inherited_value', HOME: '/root/home-folder' });
    expect(withShell.text('cloned with ghp_inherited_value into /root/home-folder')).toBe(
      'cloned with <GITHUB_TOKEN> into /root/home-folder',
    );
  });
});

describe('FindingBook', () => {
  test('one finding per kind, type and route; repeats counted, instances merged, first evidence kept', () => {
    const book = new FindingBook();
    const base = {
      kind: 'session-lost' as const,
      type: 'web',
      route: 'GET /profile',
      hint: sessionHint(EMPTY_STACK, [], false),
    };
    expect(book.add({ ...base, instances: ['web.1', 'web.2'], evidence: ['first'] }).isNew).toBe(true);
    expect(book.add({ ...base, instances: ['web.3', 'web.1'], evidence: ['second'] }).isNew).toBe(false);
    book.add({ ...base, route: 'GET /cart', instances: ['web.1'], evidence: ['x'] });
    expect(book.list()).toEqual([
      { ...base, instances: ['web.1', 'web.2', 'web.3'], evidence: ['first'], count: 2 },
      { ...base, route: 'GET /cart', instances: ['web.1'], evidence: ['x'], count: 1 },
    ]);
  });
});
