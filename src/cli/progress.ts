import cliProgress from "cli-progress";
import type { JobFieldsFragment } from "../graphql/generated/graphql.ts";

/**
 * Draws a progress bar on stderr from job snapshots (the `jobProgress` subscription), one bar
 * per stage. Silent when stderr is not a terminal or output is JSON.
 */
export class ProgressView {
  private bar: cliProgress.SingleBar | undefined;
  private stage = "";

  constructor(private readonly enabled: boolean) {}

  update(job: JobFieldsFragment): void {
    if (!this.enabled || !job.progress) return;
    const { stage, done, total } = job.progress;
    if (stage !== this.stage) {
      this.bar?.stop();
      this.stage = stage;
      this.bar = new cliProgress.SingleBar(
        {
          format: `${stage.padEnd(10)} {bar} {percentage}% | {value}/{total}`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total ?? 0, done);
    }
    if (total !== null) this.bar?.setTotal(total);
    this.bar?.update(done);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
