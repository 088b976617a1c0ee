import type { Finding } from '../shared/finding.js';

/** the fixes that do not depend on what was seen; the others are chosen in hints.ts */
export const HINTS: Record<'crash' | 'smoke-diverged' | 'replay-diverged' | 'smoke-failed', string> = {
  crash:
    'an instance exited on its own: read its last output; processes must be disposable (fast start, graceful SIGTERM)',
  'smoke-diverged':
    'the smoke command passes against one instance but fails against several shuffled ones: the app keeps state in a process (see the other findings for where)',
  'replay-diverged':
    'the recorded requests are answered differently once spread over instances and restarted, though two runs on one instance agree: the app keeps state in a process (see the other findings for where)',
  'smoke-failed':
    'the smoke command fails even against a single instance with no restarts: fix the command or the app first; amnesia cannot judge statelessness until it passes',
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
      for (const instance of finding.instances)
        if (!existing.instances.includes(instance)) existing.instances.push(instance);
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
