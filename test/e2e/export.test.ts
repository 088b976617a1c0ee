import { chmodSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';

import { amnesiaDone, makeApp } from './helpers.js';

describe('amnesia export', () => {
  test('compose from a Procfile, formation and .env', async () => {
    const app = makeApp({
      Procfile: 'web: node web.js\nworker: node worker.js\nclock: node clock.js\n',
      '.env': 'API_TOKEN=abc123\nMODE=demo\n',
    });
    const result = await amnesiaDone(
      ['export', 'compose', 'deploy', '-m', 'web=4,clock=0', '--app', 'Shop App', '--image', 'shop:7'],
      { cwd: app.dir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/wrote 3 files to deploy: compose\.yaml, shop-app\.env, README\.md/);
    const doc = parse(readFileSync(join(app.dir, 'deploy/compose.yaml'), 'utf8'));
    expect(Object.keys(doc.services)).toEqual(['web', 'worker']);
    expect(doc.services.web.deploy.replicas).toBe(4);
    expect(doc.services.web.ports).toEqual(['5000-5003:5000']);
    expect(doc.services.worker.environment.PORT).toBe('5100');
    expect(readFileSync(join(app.dir, 'deploy/shop-app.env'), 'utf8')).toBe('API_TOKEN=abc123\nMODE=demo\n');
    expect(statSync(join(app.dir, 'deploy/shop-app.env')).mode & 0o777).toBe(0o600);
  });

  test('kubernetes and systemd write every file they list', async () => {
    const app = makeApp({ Procfile: 'web: node web.js\nworker: node worker.js\n' });
    for (const format of ['kubernetes', 'systemd']) {
      const result = await amnesiaDone(['export', format, format], { cwd: app.dir });
      expect(result.code, result.stderr).toBe(0);
      const listed = /: (.*)\n/.exec(result.stdout)?.[1]?.split(', ') ?? [];
      expect(readdirSync(join(app.dir, format)).sort()).toEqual([...listed].sort());
    }
  });

  test('an invalid Procfile exits 2 with the usual message, and writes nothing', async () => {
    const app = makeApp({ Procfile: 'web: ok\nnot a line\n' });
    const result = await amnesiaDone(['export', 'compose', 'out'], { cwd: app.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Procfile:2: no `name:` on this line/);
    expect(readdirSync(app.dir)).not.toContain('out');
  });

  test('an unknown format suggests the closest', async () => {
    const app = makeApp({ Procfile: 'web: ok\n' });
    const result = await amnesiaDone(['export', 'kubernets', 'out'], { cwd: app.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown export format "kubernets"[\s\S]*did you mean kubernetes\?/);
  });

  test('nothing is written through what is there: an existing folder needs --force, a link is replaced and never followed, secrets end 0600', async () => {
    const app = makeApp({
      Procfile: 'web: node web.js\n',
      '.env': 'API_TOKEN=abc123\n',
      'elsewhere.txt': 'precious\n',
    });
    const first = await amnesiaDone(['export', 'systemd', 'deploy', '--app', 'shop'], { cwd: app.dir });
    expect(first.code, first.stderr).toBe(0);
    const unit = readFileSync(join(app.dir, 'deploy/shop-web.1.service'), 'utf8');
    // a stale env file with a loose mode, and a link planted where the next export writes
    chmodSync(join(app.dir, 'deploy/shop.env'), 0o644);
    writeFileSync(join(app.dir, 'deploy/shop-web.1.service'), 'edited by hand\n');
    const again = await amnesiaDone(['export', 'systemd', 'deploy', '--app', 'shop'], { cwd: app.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/deploy already has .*shop\.env.*; nothing was written[\s\S]*hint: .*--force/);
    expect(readFileSync(join(app.dir, 'deploy/shop-web.1.service'), 'utf8')).toBe('edited by hand\n');
    const { rmSync } = await import('node:fs');
    rmSync(join(app.dir, 'deploy/README.md'));
    symlinkSync(join(app.dir, 'elsewhere.txt'), join(app.dir, 'deploy/README.md'));
    const forced = await amnesiaDone(['export', 'systemd', 'deploy', '--app', 'shop', '--force'], { cwd: app.dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(app.dir, 'elsewhere.txt'), 'utf8')).toBe('precious\n');
    expect(lstatSync(join(app.dir, 'deploy/README.md')).isSymbolicLink()).toBe(false);
    expect(statSync(join(app.dir, 'deploy/shop.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(app.dir, 'deploy/shop-web.1.service'), 'utf8')).toBe(unit);
  });

  test('kubernetes: values that are secrets by their look go to the Secret too (a URL with a password, a live key)', async () => {
    const app = makeApp({
      Procfile: 'web: node web.js\n',
      '.env': 'MONGO_URL=mongodb://u:pw@db/shop\nSTRIPE_SK=sk_live_abc\nBILLING=sk_live_xyz\nMODE=demo\n',
    });
    const result = await amnesiaDone(['export', 'kubernetes', 'k8s', '--app', 'shop'], { cwd: app.dir });
    expect(result.code, result.stderr).toBe(0);
    const docs = ['configmap.yaml', 'secret.yaml'].map((name) =>
      parse(readFileSync(join(app.dir, 'k8s', name), 'utf8')),
    );
    const configMap = docs.find((d) => d.kind === 'ConfigMap');
    const secret = docs.find((d) => d.kind === 'Secret');
    expect(configMap.data).toEqual({ MODE: 'demo' });
    expect(Object.keys(secret.stringData).sort()).toEqual(['BILLING', 'MONGO_URL', 'STRIPE_SK']);
  });
});
