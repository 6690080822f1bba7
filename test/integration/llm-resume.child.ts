/**
 * A Tailor process for the resume test: enqueues the job given in LLM_JOB_PAYLOAD on the
 * in-process runner, prints its id, and runs it until the test kills this process.
 */
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";

const app = await createApp(loadConfig(), { role: "worker" });
const job = await app.jobs.enqueue("label-llm", JSON.parse(process.env.LLM_JOB_PAYLOAD ?? "{}"));
process.stdout.write(`${job.id}\n`);
await app.jobs.waitFor(job.id);
await app.close();
