/** A message as plugins see it. */
export interface PluginMessage {
  /** The author's role. A system message, when present, is the conversation's system prompt. */
  role: "system" | "user" | "assistant";
  /** The text, as imported. May be empty. */
  content: string;
  /**
   * Explicit feedback that the source recorded on this message, if any. Importers use
   * `upvotes` and `downvotes` (OpenAssistant `+1`/`-1` emoji counts), `rank` (sibling
   * preference order, 0 = best; absent when the reply was not ranked) and `thumbs`
   * (`"up"` or `"down"`). Other keys are kept as the source wrote them.
   */
  feedback?: Readonly<Record<string, unknown>> | null;
}

/** A conversation as plugins see it. Read-only: plugins never change stored data. */
export interface PluginConversation {
  /** Stable id within Tailor, opaque to plugins; the host uses it in failure messages. */
  id: string;
  messages: readonly PluginMessage[];
  /** Source metadata such as country, state, language, model or timestamp. */
  metadata: Readonly<Record<string, unknown>>;
}

/** Passed to every asynchronous capability call. */
export interface CallContext {
  /**
   * Aborted when the call times out or the job is cancelled. Pass it to any I/O (fetch,
   * database clients) so that the work stops with the call. The host stops waiting either way.
   */
  signal: AbortSignal;
}

/** Structured log lines; the host adds the plugin's name to every line. */
export interface PluginLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
