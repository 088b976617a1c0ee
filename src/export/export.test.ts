import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';

import { composeFiles } from './compose.js';
import { kubernetesFiles } from './kubernetes.js';
import type { ExportPlan } from './plan.js';
import { systemdFiles } from './systemd.js';

const plan: ExportPlan = {
  app: 'shop',
  root: '/srv/shop',
  image: 'registry.example/shop:1.2',
  user: 'shop',
  stopTimeoutS: 8,
  types: [
    { name: 'web', command: "node server.js --name 'x'", replicas: 3, routed: true, port: 5000 },
    { name: 'worker', command: 'node worker.js', replicas: 2, routed: false, port: 5100 },
  ],
  env: { NODE_ENV: 'production', SESSION_SECRET: 's3cr3t value', DATABASE_URL: 'postgres://u:p@db/shop' },
};

describe('export systemd (Foreman conventions)', () => {
  const files = systemdFiles(plan);
  test('a target wanting one unit per instance, PORT per instance, restart policy and stop timeout', () => {
    expect(files.get('shop.target')).toMatch(
      /^Wants=shop-web\.1\.service shop-web\.2\.service shop-web\.3\.service shop-worker\.1\.service shop-worker\.2\.service$/m,
    );
    const unit = files.get('shop-worker.2.service') ?? '';
    expect(unit).toMatch(/^Environment=PORT=5101$/m);
    expect(unit).toMatch(/^Environment=PS=worker\.2$/m);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^TimeoutStopSec=8$/m);
    expect(unit).toMatch(/^KillMode=mixed$/m);
    expect(files.get('shop-web.1.service')).toMatch(/^ExecStart=\/bin\/sh -c 'node server\.js --name '\\''x'\\'''$/m);
  });
  test('secrets stay out of the units: they are in shop.env', () => {
    for (const [name, content] of files) if (name.endsWith('.service')) expect(content).not.toMatch(/s3cr3t/);
    expect(files.get('shop.env')).toBe(
      'NODE_ENV=production\nSESSION_SECRET="s3cr3t value"\nDATABASE_URL=postgres://u:p@db/shop\n',
    );
  });
  test('snapshot', () => {
    expect(Object.fromEntries(files)).toMatchSnapshot();
  });
});

describe('export compose', () => {
  const files = composeFiles(plan);
  const doc = parse(files.get('compose.yaml') ?? '');
  test('replicas, command, ports for routed types, env in an env_file', () => {
    expect(doc.services.web.deploy.replicas).toBe(3);
    expect(doc.services.worker.deploy.replicas).toBe(2);
    expect(doc.services.web.command).toEqual(['/bin/sh', '-c', "node server.js --name 'x'"]);
    expect(doc.services.web.ports).toEqual(['5000-5002:5000']);
    expect(doc.services.worker.ports).toBeUndefined();
    expect(doc.services.web.env_file).toEqual(['shop.env']);
    expect(doc.services.web.environment).toMatchObject({ PORT: '5000', AMNESIA_PORT_WORKER: '5100' });
    expect(doc.services.web.image).toBe('registry.example/shop:1.2');
    expect(files.get('compose.yaml')).not.toMatch(/s3cr3t/);
  });
  test('snapshot', () => {
    expect(Object.fromEntries(files)).toMatchSnapshot();
  });
});

describe('export kubernetes', () => {
  const files = kubernetesFiles(plan);
  const docs = [...files]
    .filter(([name]) => name.endsWith('.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS()));
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
  test('a Deployment per type with replicas; a Service per routed type with no session affinity', () => {
    expect(find('Deployment', 'shop-web').spec.replicas).toBe(3);
    expect(find('Deployment', 'shop-worker').spec.replicas).toBe(2);
    const service = find('Service', 'shop-web');
    expect(service.spec.sessionAffinity).toBe('None');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 5000 }]);
    expect(find('Service', 'shop-worker')).toBeUndefined();
    expect(service.spec.selector).toEqual(find('Deployment', 'shop-web').spec.template.metadata.labels);
  });
  test('env from a ConfigMap, and from a Secret for secret-looking keys', () => {
    expect(find('ConfigMap', 'shop-env').data).toEqual({ NODE_ENV: 'production' });
    expect(find('Secret', 'shop-env').stringData).toEqual({
      SESSION_SECRET: 's3cr3t value',
      DATABASE_URL: 'postgres://u:p@db/shop',
    });
    const container = find('Deployment', 'shop-web').spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'shop-env' } }, { secretRef: { name: 'shop-env' } }]);
    expect(container.env[0]).toEqual({ name: 'PORT', value: '5000' });
    expect(find('Deployment', 'shop-web').spec.template.spec.terminationGracePeriodSeconds).toBe(8);
  });
  test('snapshot', () => {
    expect(Object.fromEntries(files)).toMatchSnapshot();
  });
});
