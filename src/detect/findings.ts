export const FINDING_KINDS = [
  'smoke-diverged',
  'session-lost',
  'session-reset',
  'object-lost',
  'broadcast-lost',
  'local-write',
  'log-file',
  'divergence',
  'crash',
  'smoke-failed',
] as const;
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
  /** the usual remedy, in one line, for the mechanism seen and the library in use */
  hint: string;
  /** what was kept locally: a session, a created object, a file, a cached value, a socket.io session... */
  state?: string;
  /** the instance that held it, with its pid, and whether it is gone */
  heldBy?: string;
  /** reported, but does not fail `check` (a log file loses nothing a user sees) */
  advisory?: boolean;
}

/** a finding that names the state itself, not only a symptom of it */
export const isCauseLevel = (finding: Finding): boolean => finding.state !== undefined && finding.kind !== 'smoke-diverged' && finding.kind !== 'smoke-failed';

/** the fixes that do not depend on what was seen; the others are chosen in hints.ts */
export const HINTS: Record<'crash' | 'smoke-diverged' | 'smoke-failed', string> = {
  crash: 'an instance exited on its own: read its last output; processes must be disposable (fast start, graceful SIGTERM)',
  'smoke-diverged':
    'the smoke command passes against one instance but fails against several shuffled ones: the app keeps state in a process (see the other findings for where)',
  'smoke-failed': 'the smoke command fails even against a single instance with no restarts: fix the command or the app first; amnesia cannot judge statelessness until it passes',
};

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
