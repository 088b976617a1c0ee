// What a written file is, from its path: the fix for a database file is not the fix for an upload.
export type FileKind = 'database' | 'log' | 'session' | 'cache' | 'upload';

const DATABASE = /\.(db|sqlite|sqlite3|db3)(-journal|-wal|-shm)?$|(-journal|-wal|-shm)$/i;
const LOG = /\.log(\.\d+)?$|(^|\/)(log|logs)\//i;
const SESSION = /(^|\/)(sess_[^/]+|flask_session\/.*|sessions?\/.*)$/i;
const CACHE = /(^|\/)(\.?cache|tmp)\/|\.pid$/i;

export function fileKind(path: string): FileKind {
  if (DATABASE.test(path)) return 'database';
  if (LOG.test(path)) return 'log';
  if (SESSION.test(path)) return 'session';
  if (CACHE.test(path)) return 'cache';
  return 'upload';
}

/** how the kind is named in a finding's state */
export const FILE_STATE: Record<FileKind, string> = {
  database: 'SQLite database',
  log: 'log file',
  session: 'session files',
  cache: 'cache files',
  upload: 'file',
};
