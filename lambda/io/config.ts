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

/** A required environment variable holding a whole number above 0; anything else is a deployment bug. */
export function requirePositiveInt(name: string): number {
  const value = Number(requireEnv(name));
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(
      `Environment variable ${name} must be a whole number above 0, got "${process.env[name]}"`,
    );
  }
  return value;
}
