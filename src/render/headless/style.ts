const PALETTE = [36, 33, 32, 35, 31, 34, 96, 93, 92, 95, 91, 94];

export const SYSTEM_NAME = 'amnesia';

// A stable ANSI colour per process type, in Procfile order (Foreman's cycle: cyan, yellow, green, ...).
export function typeColor(index: number): number {
  return PALETTE[index % PALETTE.length] ?? 36;
}

export const paint = (code: number, text: string): string => `\u001b[${code}m${text}\u001b[0m`;
