// What a finding is: the vocabulary the detector, the reports, the event union and the renderers share.
export const FINDING_KINDS = [
  'smoke-diverged',
  'replay-diverged',
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
export const isCauseLevel = (finding: Finding): boolean =>
  finding.state !== undefined &&
  finding.kind !== 'smoke-diverged' &&
  finding.kind !== 'replay-diverged' &&
  finding.kind !== 'smoke-failed';
