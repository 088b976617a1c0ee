import { describe, expect, test } from 'vitest';

import type { ProcfileEntry } from '../procfile/parse.js';
import { planFormation } from './formation.js';
import { basePort, planPorts } from './ports.js';

const entries: ProcfileEntry[] = ['web', 'worker', 'clock'].map((name, index) => ({
  name,
  command: name,
  line: index + 1,
  index,
}));
const plan = (spec: string | undefined, only: string[] = [], routed = ['web']): Record<string, number> =>
  Object.fromEntries(planFormation({ entries, spec, only, routed }));
const failure = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('formation', () => {
  test('defaults: 3 per routed type, 1 for the others', () => {
    expect(plan(undefined)).toEqual({ web: 3, worker: 1, clock: 1 });
  });
  test('listed types override, all=N sets the unlisted ones, 0 disables', () => {
    expect(plan('web=2,all=4,clock=0')).toEqual({ web: 2, worker: 4, clock: 0 });
  });
  test('Foreman: all=1,worker=0 means everything but worker', () => {
    expect(plan('all=1,worker=0')).toEqual({ web: 1, worker: 0, clock: 1 });
  });
  test('unlisted types keep their defaults (Foreman would run only the listed ones)', () => {
    expect(plan('worker=2')).toEqual({ web: 3, worker: 2, clock: 1 });
  });
  test('whitespace around entries is accepted', () => {
    expect(plan(' web = 1 , worker=0 ')).toEqual({ web: 1, worker: 0, clock: 1 });
  });
  test('positional types run only those', () => {
    expect(plan('web=2', ['web'])).toEqual({ web: 2, worker: 0, clock: 0 });
  });
  test.each([
    ['web=x', 'cannot read formation entry "web=x"'],
    ['web', 'cannot read formation entry "web"'],
    ['web=-1', 'cannot read formation entry "web=-1"'],
    ['api=2', 'unknown process type "api"'],
    ['all=0', 'the formation runs no process'],
  ])('%s is an error', (spec, message) => {
    expect(failure(() => plan(spec))).toBe(message);
  });
  test('an unknown positional type is an error', () => {
    expect(failure(() => plan(undefined, ['api']))).toBe('unknown process type "api"');
  });
});

describe('ports (Foreman scheme)', () => {
  test('the type on entry i owns base + 100*i; non-routed instances count up from there', () => {
    const worker = planPorts(entries[1]!, 5000, false);
    expect([worker.typePort, worker.instancePort(1), worker.instancePort(3)]).toEqual([5100, 5100, 5102]);
  });
  test('a routed type owns its port for the router; its instances get free ports', () => {
    const web = planPorts(entries[0]!, 5000, true);
    expect([web.typePort, web.instancePort(1)]).toEqual([5000, undefined]);
  });
  test('types not started still count (Foreman: `start web` with web on line 2 gives base+100)', () => {
    expect(planPorts(entries[2]!, 1234, false).typePort).toBe(1434);
  });
  test('base port precedence (honcho test_port_precedence): flag > env file > environment > 5000', () => {
    expect(basePort(4400, { PORT: '4300' }, { PORT: '4200' })).toBe(4400);
    expect(basePort(undefined, { PORT: '4300' }, { PORT: '4200' })).toBe(4300);
    expect(basePort(undefined, {}, { PORT: '4200' })).toBe(4200);
    expect(basePort(undefined, {}, {})).toBe(5000);
  });
  test('a PORT that is not a port number is ignored', () => {
    expect(basePort(undefined, { PORT: 'abc' }, {})).toBe(5000);
  });
});
