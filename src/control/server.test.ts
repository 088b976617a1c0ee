import { existsSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, test } from 'vitest';

import { ControlServer } from './server.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const answers = (path: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(path, () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

describe('ControlServer', () => {
  test("closing removes its own socket and run folder, never a next run's that took the path meanwhile", async () => {
    const root = mkdtempSync(join(tmpdir(), 'amnesia-control-'));
    roots.push(root);
    const first = await ControlServer.open(root);
    // the first run's socket file went (removed by hand, say) and a next start claimed the path
    unlinkSync(first.path);
    const next = await ControlServer.open(root);
    const inode = statSync(next.path).ino;
    await first.close();
    expect(statSync(next.path).ino).toBe(inode);
    expect(await answers(next.path)).toBe(true);
    await next.close();
    expect(existsSync(next.path)).toBe(false);
    expect(existsSync(join(root, '.amnesia'))).toBe(false);
  });
});
