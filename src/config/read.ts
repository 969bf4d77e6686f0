/** The process environment, or any stand-in for it (tests, benchmarks). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Collects what is wrong with a value instead of stopping at the first problem. */
export type Report = (problem: string) => void;

/**
 * One environment variable, described once: its name, what kind of value it holds, its default, and how
 * a set value becomes that kind. Built by the functions below, read by `VariableReader`.
 */
export interface Variable<T> {
  readonly name: string;
  readonly kind: 'integer' | 'boolean' | 'enum' | 'string' | 'list' | 'parsed';
  readonly default: T;
  /**
   * Set but blank is a problem instead of "unset": for variables where a template that expanded to
   * nothing must not quietly loosen anything (the AUTH_* variables).
   */
  readonly refuseBlank: boolean;
  /**
   * A value that begins or ends with a quote is a problem: for secrets and what is compared with what
   * clients send, where a quote is never meant (`KEY="abc"` in a file that is not read by a shell keeps
   * the quotes, and the quoted value would never match). The value is never echoed.
   */
  readonly refuseQuoted: boolean;
  /**
   * The value of a set, non-blank (trimmed) variable. undefined after reporting what is wrong with it,
   * so the default stands in while the other variables are still read.
   */
  readonly parse: (value: string, report: Report) => T | undefined;
}

/** A variable for each field of T: read together into a T by `VariableReader.readAll`. */
export type VariableTable<T> = { readonly [K in keyof T]: Variable<T[K]> };

interface Options {
  readonly refuseBlank?: boolean;
  readonly refuseQuoted?: boolean;
}

/** A whole number in [min, max], written in decimal digits only (no sign, exponent or unit). */
export function integer(name: string, bounds: { min: number; max: number; default: number }): Variable<number> {
  const { min, max } = bounds;
  return define(name, 'integer', bounds.default, {}, (value, report) => {
    const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(number) && number >= min && number <= max) return number;
    report(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
    return undefined;
  });
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** true/1/yes/on or false/0/no/off, in any case. */
export function boolean(name: string, fallback: boolean, options: Options = {}): Variable<boolean> {
  return define(name, 'boolean', fallback, options, (value, report) => {
    const lower = value.toLowerCase();
    if (TRUE.includes(lower)) return true;
    if (FALSE.includes(lower)) return false;
    report(`${name} must be true or false (got "${value}")`);
    return undefined;
  });
}

/** One of a few lower-case names; the value is lower-cased first, so `INFO` is `info`. */
export function oneOf<T extends string>(name: string, values: readonly T[], fallback: T): Variable<T> {
  return define(name, 'enum', fallback, {}, (value, report) => {
    const lower = value.toLowerCase();
    const found = values.find((candidate) => candidate === lower);
    if (found === undefined) report(`${name} must be one of ${values.join(', ')} (got "${lower}")`);
    return found;
  });
}

/** Any text, trimmed. */
export function string(name: string, options?: Options): Variable<string | undefined>;
export function string(name: string, options: Options & { default: string }): Variable<string>;
export function string(name: string, options: Options & { default?: string } = {}): Variable<string | undefined> {
  return define(name, 'string', options.default, options, (value) => value);
}

/**
 * Comma-separated entries, each trimmed, empty ones kept: what an empty entry means (a lost template
 * value, or nothing) is for the caller to say. undefined when unset.
 */
export function list(name: string, options: Options = {}): Variable<readonly string[] | undefined> {
  return define(name, 'list', undefined, options, (value) => value.split(',').map((entry) => entry.trim()));
}

/** A value with a format of its own (a URL, a file); `parse` reports in its own words. */
export function parsed<T>(name: string, fallback: T, parse: Variable<T>['parse'], options: Options = {}): Variable<T> {
  return define(name, 'parsed', fallback, options, parse);
}

function define<T>(name: string, kind: Variable<T>['kind'], fallback: T, options: Options, parse: Variable<T>['parse']): Variable<T> {
  return Object.freeze({ name, kind, default: fallback, refuseBlank: options.refuseBlank ?? false, refuseQuoted: options.refuseQuoted ?? false, parse });
}

/** Begins or ends with a quote (`"` or `'`). */
export function isQuoted(value: string): boolean {
  return /^["']|["']$/.test(value);
}

/** Each field's default: the defaults are written once, in the table. */
export function defaultsOf<T>(table: VariableTable<T>): T {
  const defaults = {} as T;
  for (const field of Object.keys(table) as (keyof T)[]) defaults[field] = table[field].default;
  return defaults;
}

/**
 * Reads variables from one environment and keeps every problem, so an operator fixes them all in one go.
 * Empty or white-space-only values count as unset, except for variables that refuse blanks.
 */
export class VariableReader {
  readonly #env: Env;
  readonly #problems: string[] = [];

  constructor(env: Env) {
    this.#env = env;
  }

  get problems(): readonly string[] {
    return this.#problems;
  }

  report(problem: string): void {
    this.#problems.push(problem);
  }

  /** Set to something other than white space. */
  isSet(variable: Variable<unknown>): boolean {
    return this.#value(variable) !== undefined;
  }

  /** The variable's value; its default (or `fallback`, when the default depends on other settings) when unset or wrong. */
  read<T>(variable: Variable<T>, fallback: T = variable.default): T {
    this.#refuseBlank(variable);
    return this.#parse(variable, fallback);
  }

  /**
   * A table's variables, in its order. Blank refusals come first: a blank variable explains what the
   * others then lack (a blank AUTH_TOKENS, the missing credential).
   */
  readAll<T>(table: VariableTable<T>): T {
    const fields = Object.keys(table) as (keyof T)[];
    for (const field of fields) this.#refuseBlank(table[field]);
    const values = {} as T;
    for (const field of fields) values[field] = this.#parse(table[field], table[field].default);
    return values;
  }

  #value(variable: Variable<unknown>): string | undefined {
    const value = this.#env[variable.name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  #refuseBlank(variable: Variable<unknown>): void {
    if (variable.refuseBlank && this.#env[variable.name] !== undefined && this.#value(variable) === undefined) {
      this.report(`${variable.name} is set but empty: give it a value or unset it`);
    }
  }

  #parse<T>(variable: Variable<T>, fallback: T): T {
    const value = this.#value(variable);
    if (value === undefined) return fallback;
    if (variable.refuseQuoted && isQuoted(value)) {
      this.report(`${variable.name} begins or ends with a quote: quotes would be part of the value; remove them`);
      return fallback;
    }
    return variable.parse(value, (problem) => this.report(problem)) ?? fallback;
  }
}
