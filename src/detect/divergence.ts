// Diffy's idea for one app: compare instance A with itself (noise) and with instance B (raw), field by
// field, and report only fields that differ across instances clearly more often than within one.

/** the comparable fields of a response: status, JSON leaves by path, or lines of text */
export function fields(status: number, contentType: string, body: string): Map<string, string> {
  const out = new Map<string, string>([['status', String(status)]]);
  if (contentType.includes('json')) {
    try {
      flatten(JSON.parse(body), '$', out);
      return out;
    } catch {
      // not JSON after all: compare as text
    }
  }
  body.split('\n').forEach((line, i) => out.set(`line ${i + 1}`, line.trim()));
  return out;
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value))
      flatten(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, out);
  } else out.set(path, JSON.stringify(value));
}

export function differing(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((key) => a.get(key) !== b.get(key));
}

const RELATIVE = 0.2;
// one difference across instances with none within the instance is enough: the probes are ordered A, B,
// A again, so whatever drifts with time between A and B has drifted between A and A as well
const MIN_RAW = 1;

// Counts per route how often each field differs within an instance (noise) and across instances (raw).
export class NoiseFloor {
  readonly #routes = new Map<string, { samples: number; raw: Map<string, number>; noise: Map<string, number> }>();

  /** records one sample; returns the fields that now stand out above the noise */
  record(route: string, rawDiff: readonly string[], noiseDiff: readonly string[]): string[] {
    const stats = this.#routes.get(route) ?? { samples: 0, raw: new Map(), noise: new Map() };
    this.#routes.set(route, stats);
    stats.samples++;
    for (const key of rawDiff) stats.raw.set(key, (stats.raw.get(key) ?? 0) + 1);
    for (const key of noiseDiff) stats.noise.set(key, (stats.noise.get(key) ?? 0) + 1);
    return rawDiff.filter((key) => {
      const raw = stats.raw.get(key) ?? 0;
      const noise = stats.noise.get(key) ?? 0;
      return raw >= MIN_RAW && raw > 2 * noise && (raw - noise) / (raw + noise) > RELATIVE;
    });
  }
}
