import type { EventOf } from './types.js';

// Events for the renderers' and the store's unit tests: one formation, one request, overridable.
export const sampleStarting: EventOf<'run:starting'> = {
  kind: 'run:starting',
  procfile: 'Procfile',
  root: '/app',
  envFiles: [],
  formation: [
    ['web', 2],
    ['worker', 1],
  ],
  routed: ['web'],
  typePorts: [['web', 5000]],
  seed: 42,
  balance: 'random',
  restartEveryMs: 30_000,
};

export function sampleRequest(overrides: Partial<EventOf<'request:done'>> = {}): EventOf<'request:done'> {
  return {
    kind: 'request:done',
    type: 'web',
    instance: { name: 'web.2', type: 'web', uid: 2 },
    client: 'conn:1',
    method: 'GET',
    path: '/users/7',
    status: 200,
    durationMs: 3,
    hop: false,
    afterRestart: false,
    retried: false,
    error: undefined,
    sessionCookies: [],
    authorization: false,
    setCookies: [],
    location: undefined,
    contentType: undefined,
    bodySample: undefined,
    replayHeaders: undefined,
    ...overrides,
  };
}
