// A mistake the user can fix (bad Procfile, bad flag, port in use...): printed without a stack, exit code 2.
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: string;
  /** file:line or option name the problem is at, when there is one */
  readonly where: string | undefined;
  /** one line saying how to fix it */
  readonly hint: string | undefined;
  /** extra lines shown under the message (other errors, last output lines) */
  readonly details: readonly string[];

  constructor(
    code: string,
    message: string,
    options: { where?: string; hint?: string; details?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.where = options.where;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

export const isUserError = (error: unknown): error is UserError => error instanceof UserError;

// Several user errors found in one pass (e.g. every bad line of a Procfile), reported together.
export class UserErrors extends UserError {
  readonly errors: readonly UserError[];
  constructor(errors: readonly UserError[]) {
    const first = errors[0];
    super(first?.code ?? 'INVALID', first?.message ?? 'invalid input', {
      ...(first?.where === undefined ? {} : { where: first.where }),
      ...(first?.hint === undefined ? {} : { hint: first.hint }),
    });
    this.errors = errors;
  }
}
