import type { AspectDeclaration } from "./schemas.ts";

/** An assistant reply as aspect detectors see it. */
export interface DetectorInput {
  /** The reply text. */
  content: string;
  /** The user message that the reply responds to, for aspects relative to the request (e.g. echoing it). */
  request: string;
}

/**
 * Measures aspects of assistant replies for the statistical rubric method. One detector may
 * declare several binary aspects (for example length buckets).
 */
export interface AspectDetector {
  /** Identifier, unique among the aspect detectors of all loaded plugins. */
  id: string;
  /**
   * The aspects `detect` reports. Read once after `setup`; names are unique across all loaded
   * detectors, and a clash stops start-up.
   */
  aspects: readonly AspectDeclaration[];
  /**
   * Tells which declared aspects the reply shows. Called once per rated assistant turn, so it
   * must be fast, synchronous and pure (no I/O). Aspects left out count as absent; an
   * undeclared name or a non-boolean value is invalid output. A throw, invalid output or a run
   * longer than the plugin timeout skips this reply for this detector only. The host cannot
   * interrupt synchronous code, so a detector that never returns blocks the process.
   */
  detect(reply: DetectorInput): Record<string, boolean>;
}
