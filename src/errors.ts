/**
 * Tailor's error hierarchy. Each class carries a stable string `code` that GraphQL and the CLI
 * expose, so clients branch on codes rather than on message text.
 */
export class TailorError extends Error {
  override name = "TailorError";
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class NotFoundError extends TailorError {
  override name = "NotFoundError";
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super("NOT_FOUND", `${entity} ${JSON.stringify(id)} was not found.`);
  }
}

export class InvalidInputError extends TailorError {
  override name = "InvalidInputError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super("INVALID_INPUT", message);
  }
}

export class UnavailableError extends TailorError {
  override name = "UnavailableError";
  constructor(message: string) {
    super("UNAVAILABLE", message);
  }
}

/** No LLM provider is configured; the message explains how to configure one. */
export class NoProviderError extends TailorError {
  override name = "NoProviderError";
  constructor(task: string) {
    super(
      "NO_PROVIDER",
      `No LLM provider is configured, so ${task} is not available. Set TAILOR_LLM_BASE_URL (and TAILOR_LLM_MODEL, TAILOR_LLM_API_KEY) to an OpenAI-compatible endpoint, or list the openai provider plugin in tailor.config.json, e.g. {"plugins": [{"module": "builtin:openai-provider", "options": {"baseUrl": "http://127.0.0.1:8000/v1", "model": "my-model"}}]}, then restart.`,
    );
  }
}

/** The LLM provider failed; `status` is its HTTP status when it answered. */
export class ProviderError extends TailorError {
  override name = "ProviderError";
  constructor(
    readonly provider: string,
    readonly status: number | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super("PROVIDER_FAILED", message, options);
  }
}

/** A group the grouping does not declare. */
export class UnknownGroupError extends TailorError {
  override name = "UnknownGroupError";
  constructor(
    readonly group: string,
    readonly grouping: string,
    readonly knownGroups: readonly string[],
  ) {
    super(
      "UNKNOWN_GROUP",
      `Group ${JSON.stringify(group)} is not declared by grouping "${grouping}"; use one of ${knownGroups.join(", ")}, or omit it to classify the user.`,
    );
  }
}
