import { performance } from "node:perf_hooks";
import type { Checked, PluginKind } from "../plugin-api/index.ts";
import { PluginCallError, type PluginFailureCode } from "./errors.ts";
import type { CapabilitySource, PluginResult } from "./plugin-result.ts";

/** One capability call to run under the host's guard. */
export interface GuardedCall<T> {
  kind: PluginKind;
  source: CapabilitySource;
  /** The item, for messages: `conversation "42"`. */
  item: string;
  timeoutMs: number;
  /** The caller's signal, usually the job's; its abort ends the call as `PLUGIN_ABORTED`. */
  signal?: AbortSignal | undefined;
  /** Calls the plugin with the signal that aborts on timeout or on the caller's abort. */
  call(signal: AbortSignal): unknown;
  /** Validates the output against the kind's schema and the capability's declarations. */
  check(output: unknown): Checked<T>;
}

type Outcome =
  | { kind: "returned"; output: unknown }
  | { kind: "threw"; error: unknown }
  | { kind: "timeout" }
  | { kind: "aborted" };

/**
 * Runs one capability call and turns every plugin fault into a failed `PluginResult`: a throw
 * or rejection, no result within `timeoutMs`, invalid output, or the caller's abort. Never
 * throws for those. A result that arrives after the timeout is discarded, which also covers
 * synchronous code that ran too long: the host cannot interrupt it, only refuse its result.
 */
export async function guardCall<T>(guarded: GuardedCall<T>): Promise<PluginResult<T>> {
  const { signal } = guarded;
  const fail = failureFor<T>(guarded);

  if (signal?.aborted) return fail("PLUGIN_ABORTED", "was not called because the caller aborted");

  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onCallerAbort: (() => void) | undefined;
  const started = performance.now();
  const outcome = await new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      resolve({ kind: "timeout" });
      controller.abort(new DOMException("The plugin call timed out.", "TimeoutError"));
    }, guarded.timeoutMs);
    onCallerAbort = () => {
      resolve({ kind: "aborted" });
      controller.abort(signal?.reason);
    };
    signal?.addEventListener("abort", onCallerAbort, { once: true });
    // Calling inside `then` turns a synchronous throw into a rejection like an async one. The
    // call is skipped when the caller aborted in the meantime.
    Promise.resolve()
      .then(() => (controller.signal.aborted ? undefined : guarded.call(controller.signal)))
      .then(
        (output) => resolve({ kind: "returned", output }),
        (error: unknown) => resolve({ kind: "threw", error }),
      );
  });
  clearTimeout(timer);
  if (onCallerAbort) signal?.removeEventListener("abort", onCallerAbort);
  const elapsedMs = performance.now() - started;

  if (outcome.kind === "aborted") return fail("PLUGIN_ABORTED", "was aborted by the caller");
  if (outcome.kind === "timeout" || elapsedMs > guarded.timeoutMs) {
    return fail("PLUGIN_TIMEOUT", `timed out after ${guarded.timeoutMs} ms`);
  }
  if (outcome.kind === "threw")
    return fail("PLUGIN_THREW", threwDetail(outcome.error), outcome.error);
  return finish(guarded, outcome.output, fail);
}

/**
 * Runs a synchronous capability call (aspect detection) under the same rules as `guardCall`,
 * except the caller's signal, which a synchronous call cannot observe.
 */
export function guardSyncCall<T>(
  guarded: Omit<GuardedCall<T>, "signal" | "call"> & { call(): unknown },
): PluginResult<T> {
  const fail = failureFor<T>(guarded);
  const started = performance.now();
  let output: unknown;
  try {
    output = guarded.call();
  } catch (error) {
    return fail("PLUGIN_THREW", threwDetail(error), error);
  }
  if (performance.now() - started > guarded.timeoutMs) {
    return fail("PLUGIN_TIMEOUT", `took longer than the ${guarded.timeoutMs} ms timeout`);
  }
  return finish(guarded, output, fail);
}

type Fail<T> = (code: PluginFailureCode, detail: string, cause?: unknown) => PluginResult<T>;

function failureFor<T>(guarded: Pick<GuardedCall<T>, "kind" | "source" | "item">): Fail<T> {
  const { kind, source, item } = guarded;
  return (code, detail, cause) => ({
    ok: false,
    plugin: source.plugin,
    version: source.version,
    error: new PluginCallError(
      code,
      source.plugin,
      kind,
      source.capability,
      `Plugin "${source.plugin}" (${kind} "${source.capability}") ${detail} on ${item}.`,
      cause === undefined ? undefined : { cause },
    ),
  });
}

function threwDetail(error: unknown): string {
  return `threw "${error instanceof Error ? error.message : String(error)}"`;
}

function finish<T>(
  guarded: Pick<GuardedCall<T>, "source" | "check">,
  output: unknown,
  fail: Fail<T>,
): PluginResult<T> {
  const checked = guarded.check(output);
  if (!checked.ok) {
    return fail(
      "PLUGIN_INVALID_OUTPUT",
      `returned invalid output (${checked.problems.join("; ")})`,
    );
  }
  const { plugin, version } = guarded.source;
  return { ok: true, value: checked.value, plugin, version };
}
