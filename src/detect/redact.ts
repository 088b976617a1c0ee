import { isSecret } from '../env/secrets.js';

/** a value shorter than this is too likely to occur by chance to be replaced everywhere */
const MIN_SECRET = 6;
/** the credentials kinds of an Authorization header; the value after them is the secret */
const AUTHORIZATION = /(authorization:\s*)(?:(bearer|basic|token|digest)\s+)?([^\s,)]+)/gi;
/** scheme://user:password@host: the password */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:)([^/@\s]+)(@)/gi;
/** ?token=…, &api_key=…: query parameters whose names look secret */
const SECRET_PARAM =
  /([?&;][\w.-]*(?:token|key|secret|passw(?:or)?d|pwd|auth|session|sig|signature|credential)[\w.-]*=)([^&#\s'"]+)/gi;
/** `X-Api-Key: …` or `password=…` in a command line (a smoke command's curl, say) */
const SECRET_HEADER = /(\b[\w-]*(?:api[-_]?key|token|secret|passw(?:or)?d)\s*[:=]\s*)(['"]?)(?!<)([^\s'"&]+)/gi;

// Takes secrets out of everything amnesia prints or writes (the log, the terminal UI, the text, JSON and
// JUnit reports): the env files' values, inherited variables that look secret (by name or value), URL
// passwords, secret-looking query parameters and headers, Authorization values; cookie values by length.
export class Redactor {
  readonly #secrets: Array<[key: string, value: string]>;

  constructor(
    envValues: Readonly<Record<string, string>>,
    inherited: Readonly<Record<string, string | undefined>> = {},
  ) {
    const secrets = new Map<string, string>();
    for (const [key, value] of Object.entries(inherited))
      if (value !== undefined && isSecret(key, value)) secrets.set(value, key);
    for (const [key, value] of Object.entries(envValues)) secrets.set(value, key);
    this.#secrets = [...secrets]
      .map(([value, key]): [string, string] => [key, value])
      .filter(([, value]) => value.length >= MIN_SECRET)
      .sort(([, a], [, b]) => b.length - a.length);
  }

  cookie(name: string, value: string): string {
    return `${name}=<${value.length} chars>`;
  }

  text(text: string): string {
    let out = text;
    for (const [key, value] of this.#secrets) if (out.includes(value)) out = out.split(value).join(`<${key}>`);
    return out
      .replace(
        AUTHORIZATION,
        (_, label: string, scheme: string | undefined) => `${label}${scheme ? `${scheme} ` : ''}<redacted>`,
      )
      .replace(URL_PASSWORD, '$1<redacted>$3')
      .replace(SECRET_PARAM, '$1<redacted>')
      .replace(SECRET_HEADER, '$1$2<redacted>');
  }
}
