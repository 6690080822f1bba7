import type { CallContext } from "./conversation.ts";

/** One fine-tuning run to submit. */
export interface TrainingSpec {
  /** Stable id derived from the Tailor job, so a retried job never submits twice. */
  submissionId: string;
  /** Model to start from, as the backend names it. */
  baseModel: string;
  /** Dataset file (DPO pairs, JSONL) readable by the backend. */
  datasetPath: string;
  /** Backend-specific settings such as learning rate, beta and epochs. */
  hyperparameters: Readonly<Record<string, unknown>>;
}

/** State of a submitted run. */
export interface TrainingStatus {
  state: "pending" | "running" | "succeeded" | "failed" | "stopped";
  /** The backend's own words, for the job record and the logs. */
  message?: string;
  /** Location to serve the trained model from, once `succeeded`. */
  artifact?: string;
}

/**
 * Contract only in plugin API v1: a remote fine-tuning backend such as a Ray cluster. The host
 * registers and lists trainers but does not wrap their calls; the training job owns retries.
 */
export interface Trainer {
  /** Identifier, unique among the trainers of all loaded plugins. */
  id: string;
  /** One sentence shown by the `plugins` query and in docs. */
  description: string;
  /**
   * Submits a training run and returns its status. Submitting an existing `submissionId`
   * again must return that run's status instead of starting a second run. Throws when the
   * backend cannot be reached or rejects the spec.
   */
  submit(spec: TrainingSpec, context: CallContext): Promise<TrainingStatus>;
  /** Returns the current status of a submitted run. Throws when the run is not known. */
  status(submissionId: string, context: CallContext): Promise<TrainingStatus>;
  /**
   * Stops a run and returns its confirmed terminal status: a backend may report a stop that
   * did not happen, so implementations poll until the state is terminal.
   */
  stop(submissionId: string, context: CallContext): Promise<TrainingStatus>;
}
