export const FINDING_KINDS = ['smoke-diverged', 'session-lost', 'session-reset', 'local-write', 'divergence', 'crash', 'smoke-failed'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  /** the process type it was seen on */
  type: string;
  /** the instances involved, e.g. the one that served the client before and the one that failed it */
  instances: string[];
  /** `METHOD /path/:id`, or a file path for local writes */
  route: string;
  count: number;
  /** the first occurrence: request and response summaries, secrets redacted */
  evidence: string[];
  /** the usual remedy, in one line */
  hint: string;
}

export const HINTS: Record<FindingKind, string> = {
  'session-lost':
    'the session lived in one process: keep sessions in a shared store (express-session with connect-redis, or a signed cookie with cookie-session) instead of process memory',
  'session-reset':
    "the instance did not know the client's session and issued a new one: use a shared session store (connect-redis) rather than express-session's default MemoryStore",
  'local-write':
    'files written under the app root stay on one instance and vanish on restart: keep uploads in shared storage (S3, a database, Redis) and build assets at build time',
  divergence:
    'instances answer the same request differently: a per-process cache or counter? invalidate it through the backing service (e.g. Redis pub/sub) or drop the local cache',
  crash: 'an instance exited on its own: read its last output; processes must be disposable (fast start, graceful SIGTERM)',
  'smoke-diverged':
    'the smoke command passes against one instance but fails against several shuffled ones: the app keeps state in a process (see the other findings for where)',
  'smoke-failed': 'the smoke command fails even against a single instance with no restarts: fix the command or the app first; amnesia cannot judge statelessness until it passes',
};

/** a 404/410 after a hop usually means a file or record that exists on one instance only */
export const MISSING_HINT =
  'the resource exists on one instance only: files saved to a local folder or the temp dir? keep them in shared storage (S3, a database, Redis)';

// Collects findings, one per kind, type and route, counting repeats and keeping the first evidence.
export class FindingBook {
  readonly #byKey = new Map<string, Finding>();

  /** returns the finding and whether it is new */
  add(finding: Omit<Finding, 'count'>): { finding: Finding; isNew: boolean } {
    const key = `${finding.kind}|${finding.type}|${finding.route}`;
    const existing = this.#byKey.get(key);
    if (existing) {
      existing.count++;
      for (const instance of finding.instances) if (!existing.instances.includes(instance)) existing.instances.push(instance);
      return { finding: existing, isNew: false };
    }
    const created: Finding = { ...finding, instances: [...finding.instances], count: 1 };
    this.#byKey.set(key, created);
    return { finding: created, isNew: true };
  }

  list(): Finding[] {
    return [...this.#byKey.values()];
  }
}
