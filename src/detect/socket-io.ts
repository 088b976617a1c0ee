import type { RuleContext } from './context.js';
import { bodyText, summary, type Memory, type Request } from './evidence.js';
import { socketIoHint } from './hints.js';

const ENGINE_IO = /[?&]EIO=\d/;
const SID = /[?&]sid=([^&]+)/;

/** a socket.io / engine.io request (long polling, or the upgrade to a WebSocket) */
export const isEngineIo = (path: string): boolean => ENGINE_IO.test(path);

/** the engine.io session id a request carries in its query */
export const engineIoSid = (path: string): string | undefined => SID.exec(path)?.[1];

// engine.io keeps each long-polling session (its `sid`) in the process that answered the handshake; another
// instance answers 400 {"code":1,"message":"Session ID unknown"}. The handshake's body handed the sid out,
// so the id tracker knows which instance holds it. Never probed: a polling GET would wait for messages.
export function checkEngineIo(ctx: RuleContext, e: Request, origin: Memory | undefined): void {
  if (e.status !== 400 || !e.instance) return;
  const sid = engineIoSid(e.path);
  const body = bodyText(e, 200) ?? '';
  const unknown = /session id unknown|"code":\s*1\b/i.test(body);
  if (!sid || !(unknown || (origin && origin.uid !== e.instance.uid))) return;
  const holder = origin && origin.uid !== e.instance.uid ? origin : undefined;
  const transport = /transport=websocket/.test(e.path) ? 'upgrade to WebSocket' : 'long polling';
  ctx.raise({
    kind: 'session-lost',
    type: e.type,
    instances: holder ? [holder.name, e.instance.name] : [e.instance.name],
    route: `${e.method} ${e.path.split('?')[0] ?? '/'} (socket.io ${transport})`,
    evidence: [
      ...(holder ? [`handshake: ${summary(ctx.redactor, holder.request)} handed out this sid`] : []),
      `then: ${summary(ctx.redactor, e)}${body ? `: ${body.trim().slice(0, 80)}` : ''}`,
      `${e.instance.name} does not know the socket.io session: engine.io keeps it in the process that answered the handshake`,
    ],
    hint: socketIoHint(ctx.stack),
    state: 'a socket.io session (sid)',
    heldBy: holder ? ctx.instances.describe(holder.uid, holder.name) : 'the instance that answered the handshake',
  });
}
