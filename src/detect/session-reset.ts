import type { RuleContext } from './context.js';
import { safeMethod, summary, type Memory, type Request } from './evidence.js';
import { sessionHint } from './hints.js';
import { routePattern } from './route-pattern.js';

/** server-side session ids: a new value for one of these means the instance did not know the session */
const SERVER_SESSION =
  /^(connect\.sid|sessionid|session_id|sid|phpsessid|jsessionid|_session_id|laravel_session|asp\.net_sessionid|rack\.session)$/i;

// A response that sets a new value for the session cookie the client just sent, after a hop or a restart:
// the instance did not know the session and started a new one (express-session's MemoryStore does this).
// Confirmed by asking the previous instance, which must keep the cookie; rotation everywhere is no finding.
export async function checkReset(ctx: RuleContext, e: Request, prev: Memory): Promise<void> {
  // an empty value (Django writes `""`) deletes the cookie: a refusal the split-state rule reports, not a new session
  const reset = e.sessionCookies.find(([name, value]) =>
    e.setCookies.some(([n, v]) => n === name && v !== value && v !== '' && v !== '""'),
  );
  if (!reset) return;
  const [cookie, sent] = reset;
  let confirmation = '';
  if (safeMethod(e.method) && e.replayHeaders && ctx.prober.alive(e.type, prev.uid)) {
    const again = await ctx.prober.probe(e.type, prev.uid, e.method, e.path, e.replayHeaders);
    if (!again) return;
    const reissued = again.setCookies.find(([n]) => n === cookie);
    if (reissued && reissued[1] !== sent) return;
    confirmation = `${prev.name} answered the same request without replacing ${cookie}`;
  } else if (!SERVER_SESSION.test(cookie)) return;
  const pid = ctx.instances.pid(prev.uid);
  const gone = ctx.instances.ended(prev.uid);
  const after = e.afterRestart ? ` after ${prev.name} was restarted` : ` after a hop from ${prev.name}`;
  ctx.raise({
    kind: 'session-reset',
    type: e.type,
    instances: [prev.name, e.instance?.name ?? '?'],
    route: routePattern(e.method, e.path),
    evidence: [
      `previous: ${summary(ctx.redactor, prev.request)}`,
      `then${after}: ${summary(ctx.redactor, e)} (a new ${cookie})`,
      confirmation
        ? `confirmed: ${confirmation}`
        : gone && pid !== undefined
          ? `${prev.name} (pid ${pid}) was ${gone}: the session died with pid ${pid}`
          : '',
    ].filter((line) => line !== ''),
    hint: sessionHint(ctx.stack, [cookie], false),
    state: `the session (${cookie})`,
    heldBy: ctx.instances.describe(prev.uid, prev.name),
  });
}
