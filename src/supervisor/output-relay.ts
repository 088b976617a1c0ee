// An instance's stdout or stderr as whole-line events (no line is split across two events), with the latest
// bytes kept for error messages. Resolves once the stream has ended.
import type { Readable } from 'node:stream';

import type { EventBus } from '../events/bus.js';
import type { InstanceRef, OutputStream } from '../events/types.js';
import { LineSplitter } from './line-splitter.js';
import type { OutputTail } from './output-tail.js';

export function relayOutput(
  stream: Readable,
  name: OutputStream,
  ref: InstanceRef,
  bus: EventBus,
  tail: OutputTail,
): Promise<void> {
  const splitter = new LineSplitter();
  const emit = (data: Buffer): void => {
    tail.push(data);
    bus.emit({ ...ref, kind: 'instance:output', stream: name, data });
  };
  stream.on('data', (chunk: Buffer) => splitter.push(chunk, emit));
  return new Promise((resolve) => {
    const end = (): void => {
      splitter.flush(emit);
      resolve();
    };
    stream.once('end', end);
    stream.once('close', end);
    stream.once('error', end);
  });
}
