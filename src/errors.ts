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
