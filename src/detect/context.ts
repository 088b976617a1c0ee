import type { InstanceRef } from '../events/types.js';
import type { Finding } from '../shared/finding.js';
import type { InstanceBook } from './instances.js';
import type { LocalState } from './local-state.js';
import type { Redactor } from './redact.js';
import type { Stack } from './stack.js';

export interface ProbeResult {
  status: number;
  body: string;
  contentType: string;
  setCookies: Array<[string, string]>;
  location: string | undefined;
}

/** how the detector asks instances directly (implemented by the routers) */
export interface Prober {
  probe(
    type: string,
    uid: number,
    method: string,
    path: string,
    headers: Record<string, string | string[]>,
  ): Promise<ProbeResult | undefined>;
  alive(type: string, uid: number): boolean;
  /** the other instances of the type that take requests, in name order */
  others(type: string, uid: number): InstanceRef[];
}

/** what every rule of the detector shares */
export interface RuleContext {
  redactor: Redactor;
  prober: Prober;
  stack: Stack;
  instances: InstanceBook;
  local: LocalState;
  raise(finding: Omit<Finding, 'count'>): void;
  /** keeps a confirmation in flight until `settled()` */
  track(work: Promise<void>): void;
  now(): number;
}
