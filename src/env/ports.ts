import type { ProcfileEntry } from '../procfile/parse.js';

export interface TypePorts {
  /** the type's own port, B + 100 * index: its router listens here when the type is routed */
  typePort: number;
  /** fixed ports for a non-routed type's instances (B + 100 * index + N - 1); routed instances get free ports */
  instancePort: (instance: number) => number | undefined;
}

// Foreman's port scheme: the type on Procfile entry i owns base + 100 * i.
export function planPorts(entry: ProcfileEntry, base: number, routed: boolean): TypePorts {
  const typePort = base + 100 * entry.index;
  return {
    typePort,
    instancePort: (instance) => (routed ? undefined : typePort + instance - 1),
  };
}

// Base port: --port, else PORT from env files, else the inherited PORT, else 5000.
export function basePort(flag: number | undefined, envFiles: Readonly<Record<string, string>>, inherited: Readonly<Record<string, string | undefined>>): number {
  if (flag !== undefined) return flag;
  for (const value of [envFiles['PORT'], inherited['PORT']]) {
    const port = Number(value);
    if (value !== undefined && value !== '' && Number.isInteger(port) && port > 0 && port < 65536) return port;
  }
  return 5000;
}
