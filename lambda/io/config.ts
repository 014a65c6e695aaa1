/**
 * Handler configuration from environment variables, read at call time (see docs/design.md).
 * Endpoints are not configured here: the AWS SDK reads `AWS_ENDPOINT_URL_<SERVICE>` itself.
 */

/** The value of a required environment variable; a missing one is a deployment bug, said plainly. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(
      `Environment variable ${name} is not set: the function is deployed without its configuration`,
    );
  }
  return value;
}

/** The value of an optional environment variable, or `undefined`. */
export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * An integer environment variable from `min` to `max`; when unset, `fallback`, or without one a missing
 * variable is a deployment bug ({@link requireEnv}). Anything else throws with the variable's name.
 */
export function intEnv(name: string, min: number, max: number, fallback?: number): number {
  const text = fallback === undefined ? requireEnv(name) : optionalEnv(name);
  if (text === undefined) return fallback as number;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}
