/** Renders a value for an error message: strings quoted, everything else as compact JSON. */
export function quote(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * Bad input from the user: an action input, an event payload or the stack's policy. The message
 * names the field, quotes the value and says what was expected, so the user knows what to fix.
 * Raised before anything is changed.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${field}: expected ${expected}, got ${quote(value)}`);
  }
}

/** A failure of the environment (Pulumi, the stack, a lock) with guidance on what to do next. */
export class ActionError extends Error {
  override readonly name = "ActionError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(hint ? `${message}\n${hint}` : message);
  }
}
