// What looks like a secret, by its name or its value: one rule for every place that must keep secrets out
// of plain sight (the Kubernetes Secret rather than the ConfigMap, and redaction).
const SECRET_NAME =
  /secret|passw(or)?d|pwd|token|api_?key|_key$|^key$|private|credential|auth|session|cookie|salt|signature|dsn|database_url|redis_url|_url$|_uri$|(^|_)sk$|(^|_)sk_/i;
/** a URL that carries a password: scheme://user:password@host */
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:[^/@\s]+@/i;
/** token formats that announce themselves */
const TOKEN_PREFIX = /^(sk|rk|pk)_(live|test)_|^gh[pousr]_|^xox[abprs]-|^AKIA[0-9A-Z]{12}|^eyJ[\w-]+\.[\w-]+\./;

/** names the secret-name rule would catch that hold no secret: the shell's working directories (`pwd`) */
const NOT_SECRET_NAMES = new Set(['PWD', 'OLDPWD']);

export const isSecret = (name: string, value: string): boolean =>
  (SECRET_NAME.test(name) && !NOT_SECRET_NAMES.has(name)) || URL_PASSWORD.test(value) || TOKEN_PREFIX.test(value);
