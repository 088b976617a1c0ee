// Takes secrets out of evidence: cookie and Authorization values, and any value from the env files.
export class Redactor {
  readonly #secrets: Array<[key: string, value: string]>;

  constructor(envValues: Readonly<Record<string, string>>) {
    this.#secrets = Object.entries(envValues)
      .filter(([, value]) => value.length >= 6)
      .sort(([, a], [, b]) => b.length - a.length);
  }

  cookie(name: string, value: string): string {
    return `${name}=<${value.length} chars>`;
  }

  text(text: string): string {
    let out = text.replace(/(authorization:\s*)(\S+)(\s+\S+)?/gi, (_, label: string, scheme: string, rest: string | undefined) =>
      rest ? `${label}${scheme} <redacted>` : `${label}<redacted>`,
    );
    for (const [key, value] of this.#secrets) out = out.split(value).join(`<${key}>`);
    return out;
  }
}
