// The environment one instance starts with: the app's, plus who it is (PS, AMNESIA_INSTANCE), the run id
// that finds its escaped descendants, its own temp dir and, for routed and numbered types, its PORT.
import type { InstanceSpec } from './instance-types.js';
import { RUN_ID_VAR } from './process-group.js';

export function instanceEnv(spec: InstanceSpec, runId: string, tmpdir: string): Record<string, string> {
  const env: Record<string, string> = {
    ...spec.env,
    PS: spec.name,
    AMNESIA_INSTANCE: spec.name,
    [RUN_ID_VAR]: runId,
    TMPDIR: tmpdir,
    TMP: tmpdir,
    TEMP: tmpdir,
  };
  if (spec.port !== undefined) env['PORT'] = String(spec.port);
  return env;
}
