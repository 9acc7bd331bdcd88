/**
 * kmodel's error hierarchy. Core code throws these; the CLI base command maps them to one error line, a hint
 * and the documented exit code (DESIGN.md, README "Exit codes"), decided by the code's prefix, one class each:
 *
 *   0 ok · 1 unexpected (KM_UNEXPECTED, not a KmodelError) · 2 usage (UsageError, KM_USAGE_*) ·
 *   3 a file missing, unreadable or unwritable (InputError, KM_INPUT_*) · 4 invalid or unsupported model,
 *   format or data (FormatError, KM_FORMAT_*) · 5 weights mismatch (WeightsError, KM_WEIGHTS_*) ·
 *   6 backend or training failure (BackendError, KM_BACKEND_*) · 70 internal bug (InternalError, KM_INTERNAL)
 *
 * test/unit/exit-codes.test.ts scans src/ for every code and checks it against this table.
 */
export type ExitCode = 1 | 2 | 3 | 4 | 5 | 6 | 70

/** Options every kmodel error carries: a stable code, the exit code, a hint, the low-level cause. */
export interface KmodelErrorOptions {
  code: string
  exit: ExitCode
  hint?: string
  cause?: unknown
}

/** Base class: one-sentence message naming what failed, the offending value and where. */
export class KmodelError extends Error {
  readonly code: string
  readonly exit: ExitCode
  readonly hint: string | undefined

  constructor(message: string, opts: KmodelErrorOptions) {
    super(message, opts.cause === undefined ? undefined : {cause: opts.cause})
    this.name = new.target.name
    this.code = opts.code
    this.exit = opts.exit
    this.hint = opts.hint
  }
}

type SubclassOptions = {hint?: string; cause?: unknown}

function opts(code: string, exit: ExitCode, extra: SubclassOptions): KmodelErrorOptions {
  const out: KmodelErrorOptions = {code, exit}
  if (extra.hint !== undefined) out.hint = extra.hint
  if (extra.cause !== undefined) out.cause = extra.cause
  return out
}

/**
 * The command line asks for something it cannot have (exit 2): a flag value out of range or naming what the
 * input does not hold, flags that do not go together, an output that exists without --force.
 */
export class UsageError extends KmodelError {
  constructor(code: `KM_USAGE_${string}`, message: string, extra: SubclassOptions = {}) {
    super(message, opts(code, 2, extra))
  }
}

/** A file that is missing or unreadable, or an output that cannot be written (exit 3). */
export class InputError extends KmodelError {
  constructor(code: `KM_INPUT_${string}`, message: string, extra: SubclassOptions = {}) {
    super(message, opts(code, 3, extra))
  }
}

/** An unknown, invalid or unsupported model or file format, or data that does not fit the model (exit 4). */
export class FormatError extends KmodelError {
  /** JSON path of the offending place, when there is one. */
  readonly path: string | undefined

  constructor(code: `KM_FORMAT_${string}`, message: string, extra: SubclassOptions & {path?: string} = {}) {
    super(message, opts(code, 4, extra))
    this.path = extra.path
  }
}

/** Weights that are missing, unexpected or of the wrong shape (exit 5). */
export class WeightsError extends KmodelError {
  constructor(code: `KM_WEIGHTS_${string}`, message: string, extra: SubclassOptions = {}) {
    super(message, opts(code, 5, extra))
  }
}

/** A tfjs build, fit or predict failure (exit 6). */
export class BackendError extends KmodelError {
  constructor(code: `KM_BACKEND_${string}`, message: string, extra: SubclassOptions = {}) {
    super(message, opts(code, 6, extra))
  }
}

/** A bug in kmodel: an assertion or unreachable case (exit 70). */
export class InternalError extends KmodelError {
  constructor(message: string, extra: SubclassOptions = {}) {
    super(message, opts('KM_INTERNAL', 70, {
      hint: 'This is a bug in kmodel; please open an issue with the command and the file that caused it.',
      ...extra,
    }))
  }
}

/** A non-fatal finding (an ignored key, an unknown argument) reported beside a result. */
export interface Warning {
  path: string
  message: string
}
