import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';

import { amnesiaDone, makeApp } from './helpers.js';

describe('amnesia export', () => {
  test('compose from a Procfile, formation and .env', async () => {
    const app = makeApp({ Procfile: 'web: node web.js\nworker: node worker.js\nclock: node clock.js\n', '.env': 'API_TOKEN=abc123\nMODE=demo\n' });
    const result = await amnesiaDone(['export', 'compose', 'deploy', '-m', 'web=4,clock=0', '--app', 'Shop App', '--image', 'shop:7'], { cwd: app.dir });
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
});
