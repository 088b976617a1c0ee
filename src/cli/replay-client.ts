// The replay client's process (dist/bundle/replay-client.js), started by `check --replay` with an IPC
// channel: it is told to open the recording, to replay it against each run's URL, and to give its findings.
// When the manager goes, however it goes, the channel closes and this process ends.
import { isUserError } from '../errors.js';
import type { ReplayRequest, ReplayReply } from '../replay/client-messages.js';
import { ReplaySession } from '../replay/session.js';

let session: ReplaySession | undefined;

const reply = (message: ReplayReply): void => void process.send?.(message);

async function handle(request: ReplayRequest): Promise<ReplayReply> {
  if (request.kind === 'open') {
    session = new ReplaySession(request.path, request.shown, request.skip);
    return { kind: 'opened', summary: session.summary() };
  }
  if (!session) throw new Error('the replay client was not told to open a recording first');
  if (request.kind === 'run') {
    await session.run(request.phase, request.base);
    return { kind: 'ran' };
  }
  return { kind: 'findings', findings: session.findings(request.type, request.hint) };
}

process.on('message', (request: ReplayRequest) => {
  handle(request).then(reply, (error: unknown) =>
    reply({
      kind: 'failed',
      error: isUserError(error)
        ? { code: error.code, message: error.message, where: error.where, hint: error.hint }
        : { code: undefined, message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
    }),
  );
});
process.once('disconnect', () => process.exit(0));
