/** Placeholder shown for masked values. */
export const MASK = "***";

/**
 * Key words that mark a secret. A key is split into words (camelCase, `_`, `-`, `.`), and it is
 * a secret when one of its words ends with one of these: `apiKey`, `client_secret`,
 * `authToken`, `apiTokens`, `dbPassword`, `privateKeyPem`. Matching words rather than
 * substrings keeps `keywords` and `tokenizer` visible; `maxTokens` is masked, which is harmless.
 */
const SECRET_WORD =
  /(?:key|keys|secret|secrets|token|tokens|password|passwords|passwd|passphrase|credentials?)$/;

/** Whether an option key looks like it names a secret. */
export function looksSecret(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[\s_.-]+/);
  return words.some((word) => SECRET_WORD.test(word));
}

/**
 * Copies options with secrets replaced by `***`: the keys named in `secretKeys` at the top
 * level, and any key at any depth that `looksSecret`.
 */
export function maskSecrets(
  options: Readonly<Record<string, unknown>>,
  secretKeys: readonly string[] = [],
): Record<string, unknown> {
  const named = new Set(secretKeys);
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    masked[key] = named.has(key) || looksSecret(key) ? MASK : maskNested(value);
  }
  return masked;
}

function maskNested(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskNested);
  if (typeof value === "object" && value !== null) {
    return maskSecrets(value as Record<string, unknown>);
  }
  return value;
}
