import type { EventOf } from '../events/types.js';

/** routed requests so far, by status and by instance (`(router)`: none could answer) */
export interface RequestCounts {
  total: number;
  byStatus: Readonly<Record<string, number>>;
  byInstance: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export const noRequests: RequestCounts = { total: 0, byStatus: {}, byInstance: {} };

// The counts after one more finished request: a pure reducer, so a report holds a snapshot that later
// requests do not change.
export function countRequest(counts: RequestCounts, event: EventOf<'request:done'>): RequestCounts {
  const status = String(event.status);
  const who = event.instance?.name ?? '(router)';
  const mine = counts.byInstance[who] ?? {};
  return {
    total: counts.total + 1,
    byStatus: { ...counts.byStatus, [status]: (counts.byStatus[status] ?? 0) + 1 },
    byInstance: { ...counts.byInstance, [who]: { ...mine, [status]: (mine[status] ?? 0) + 1 } },
  };
}
