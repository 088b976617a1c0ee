import { constants } from 'node:os';

import { describe, expect, test } from 'vitest';

import { signalExitCode } from './signals.js';

describe('signalExitCode', () => {
  test('128 + the number this OS gives the signal, for every signal it knows', () => {
    for (const [name, number] of Object.entries(constants.signals)) expect(signalExitCode(name)).toBe(128 + number);
  });
  test('SIGWINCH, SIGXCPU and SIGSYS were missing from the old table (129 for all)', () => {
    expect(signalExitCode('SIGXCPU')).toBe(128 + constants.signals.SIGXCPU);
    expect(signalExitCode('SIGWINCH')).not.toBe(129);
  });
  test('no signal is 0; an unknown name is 129', () => {
    expect(signalExitCode(null)).toBe(0);
    expect(signalExitCode('SIGNOPE')).toBe(129);
  });
});
