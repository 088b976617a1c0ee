// How a router may pick an instance: the option table, the router and the UI's `b` key share this list.
export const BALANCE_MODES = ['random', 'round-robin', 'hop', 'sticky'] as const;
export type BalanceMode = (typeof BALANCE_MODES)[number];
