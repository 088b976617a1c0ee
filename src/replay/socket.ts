// One recorded WebSocket, opened again: the handshake with the client's cookies, its messages sent when the
// timeline says, and what it receives kept in order (text as is, binary as base64, as HAR holds them).
import type { CookieJar } from 'tough-cookie';
import { WebSocket } from 'undici';

import type { substitute } from './bindings.js';
import type { Step } from './plan.js';
import type { Answer } from './replayer.js';

export interface Live {
  send(opcode: number, data: string): void;
  /** resolves once `count` messages have come, or after `ms` */
  received(count: number, ms: number): Promise<void>;
  close(): void;
}

export async function openSocket(
  step: Step,
  base: string,
  r: ReturnType<typeof substitute>,
  jar: CookieJar,
  answers: Map<number, Answer>,
  sockets: Map<number, Live>,
): Promise<void> {
  const url = new URL(r.path, base);
  const cookie = await jar.getCookieString(url.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const headers: Record<string, string> = Object.fromEntries(r.headers.filter(([n]) => !/^origin$/i.test(n)));
  if (cookie) headers['cookie'] = cookie;
  const received: string[] = [];
  const answer: Answer = { status: 0, headers: [], text: undefined, instance: undefined, received, sent: r.path };
  answers.set(step.index, answer);
  const waiting = new Set<() => void>();
  const ws = new WebSocket(url, { headers });
  ws.binaryType = 'arraybuffer';
  ws.addEventListener('message', (event) => {
    const data: unknown = event.data;
    received.push(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('base64'));
    for (const wake of waiting) wake();
  });
  sockets.set(step.index, {
    send: (opcode, data) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(opcode === 2 ? Buffer.from(data, 'base64') : data);
    },
    received: (count, ms) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (received.length < count && ws.readyState <= WebSocket.OPEN) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve();
        };
        const timer = setTimeout(() => (waiting.delete(check), resolve()), ms);
        waiting.add(check);
        check();
      }),
    close: () => ws.close(),
  });
  await new Promise<void>((resolve) => {
    ws.addEventListener('open', () => {
      answer.status = 101;
      resolve();
    });
    ws.addEventListener('error', () => {
      answer.error ??= 'the WebSocket handshake failed';
      resolve();
    });
    ws.addEventListener('close', () => {
      for (const wake of waiting) wake();
      resolve();
    });
  });
}
