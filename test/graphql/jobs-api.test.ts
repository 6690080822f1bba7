import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CancelJobDocument,
  ExtractRubricsDocument,
  JobDocument,
  JobProgressDocument,
  JobsDocument,
  LabelConversationsWithLlmDocument,
} from "../../src/graphql/generated/graphql.ts";
import { createTailorYoga, type RunningServer, startServer } from "../../src/server.ts";
import { executeYoga, postGraphQL, subscribeSse } from "../support/graphql-http.ts";
import { createTestApp, realData, type TestApp } from "../support/test-app.ts";
import { stepsJob } from "../support/test-jobs.ts";

describe("jobs over HTTP with a separate worker", () => {
  let api: TestApp;
  let worker: TestApp;
  let server: RunningServer;

  beforeAll(async () => {
    const queue = `test-${randomUUID()}`;
    api = await createTestApp({
      backend: "postgres",
      redis: true,
      role: "api",
      queue,
      extraJobs: [stepsJob],
    });
    worker = await createTestApp({
      backend: "postgres",
      redis: true,
      role: "worker",
      queue,
      schema: api.schema,
      extraJobs: [stepsJob],
    });
    server = await startServer(api, 0, "127.0.0.1");
  });

  afterAll(async () => {
    await server?.close();
    await worker?.close();
    await api?.close();
  });

  it("streams jobProgress until the job ends", async () => {
    const queued = await api.jobs.enqueue("test.steps", { steps: 20, stepMs: 20 });
    const statuses: string[] = [];
    const done: number[] = [];
    for await (const event of subscribeSse(server.url, JobProgressDocument, { id: queued.id })) {
      expect(event.errors).toBeUndefined();
      statuses.push(event.data!.jobProgress.status);
      done.push(event.data!.jobProgress.progress?.done ?? 0);
    }
    expect(statuses.at(-1)).toBe("COMPLETED");
    expect(done.at(-1)).toBe(20);
    // Progress came from the worker app through Redis pubsub, not only the final row.
    expect(new Set(done).size).toBeGreaterThan(2);
  });

  it("reads a job and lists jobs", async () => {
    const queued = await api.jobs.enqueue("test.steps", { steps: 2 });
    await api.jobs.waitFor(queued.id);
    const one = await postGraphQL(server.url, JobDocument, { id: queued.id });
    expect(one.data?.job).toMatchObject({
      id: queued.id,
      kind: "test.steps",
      status: "COMPLETED",
      result: { steps: 2, attempt: 1 },
    });

    const firstPage = await postGraphQL(server.url, JobsDocument, { first: 1 });
    expect(firstPage.data?.jobs.edges).toHaveLength(1);
    expect(firstPage.data?.jobs.edges[0]?.node.id).toBe(queued.id);
    expect(firstPage.data?.jobs.pageInfo.hasNextPage).toBe(true);
    const secondPage = await postGraphQL(server.url, JobsDocument, {
      first: 10,
      after: firstPage.data!.jobs.pageInfo.endCursor,
    });
    expect(secondPage.data?.jobs.edges.map((edge) => edge.node.id)).not.toContain(queued.id);
    expect(secondPage.data?.jobs.edges.length).toBeGreaterThan(0);
  });

  it("cancelJob returns NotFoundError for an unknown id", async () => {
    const result = await postGraphQL(server.url, CancelJobDocument, { id: "no-such-job" });
    expect(result.data?.cancelJob).toMatchObject({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
    });
  });

  it("rejects a malformed cursor naming it", async () => {
    const result = await postGraphQL(server.url, JobsDocument, { first: 1, after: "%%%" });
    expect(result.errors?.[0]?.message).toMatch(/Invalid cursor "%%%"/);
  });

  it("cancelJob stops a running job", async () => {
    const queued = await api.jobs.enqueue("test.steps", { steps: 5000, stepMs: 5 });
    for await (const event of subscribeSse(server.url, JobProgressDocument, { id: queued.id })) {
      if ((event.data?.jobProgress.progress?.done ?? 0) >= 2) break;
    }
    const result = await postGraphQL(server.url, CancelJobDocument, { id: queued.id });
    expect(result.data?.cancelJob.__typename).toBe("MutationCancelJobSuccess");
    const final = await api.jobs.waitFor(queued.id);
    expect(final.status).toBe("cancelled");
  });
});

describe("API input errors", () => {
  let app: TestApp;
  let server: RunningServer;
  beforeAll(async () => {
    app = await createTestApp();
    server = await startServer(app, 0, "127.0.0.1");
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
  });

  it("names bad cursors and page sizes", async () => {
    for (const after of [
      Buffer.from('["x"]').toString("base64url"),
      Buffer.from("[1.5]").toString("base64url"),
    ]) {
      const result = await postGraphQL(server.url, JobsDocument, { first: 1, after });
      expect(result.errors?.[0]?.message).toMatch(/Invalid cursor/);
    }
    const negative = await postGraphQL(server.url, JobsDocument, { first: -5 });
    expect(negative.errors?.[0]?.message).toMatch(/first must be between 0 and 200; got -5/);
  });

  it("keeps GraphQL's own variable errors", async () => {
    const result = await postGraphQL(server.url, JobsDocument, { first: "abc" as never });
    expect(result.errors?.[0]?.message).toMatch(/Int cannot represent/);
  });

  it("rejects bad extraction options up front", async () => {
    await app.database.db.insertInto("datasets").values({ id: "d", name: "d" }).execute();
    await app.database.db
      .insertInto("groupings")
      .values({
        id: "g",
        name: "g",
        classifier: "metadata",
        options: "{}",
        groups: JSON.stringify(["A", "B"]),
      })
      .execute();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ threshold: 7 }, /threshold is 7/],
      [{ alpha: 0 }, /alpha is 0/],
      [{ minSupport: 0 }, /minSupport is 0/],
      [{ permutations: 999 }, /at least 1000/],
      [{ permutations: 2_000_000_000 }, /at most 100000/],
      [{ groups: ["A", "Martians"] }, /"Martians" is not declared/],
      [{ groups: ["A"] }, /at least two different groups/],
    ];
    for (const [extra, message] of cases) {
      const result = await postGraphQL(server.url, ExtractRubricsDocument, {
        input: { dataset: "d", grouping: "g", ...extra },
      });
      const outcome = result.data?.extractRubrics;
      expect(outcome).toMatchObject({ __typename: "InvalidInputError" });
      const text = outcome && "message" in outcome ? outcome.message : "";
      expect(text).toMatch(message);
    }
  });
});

describe("LLM labelling without a provider", () => {
  it("estimates a dry run and rejects a real one", async () => {
    const app = await createTestApp();
    try {
      const yoga = createTailorYoga(app, { trusted: true });
      const imported = await app.jobs.enqueue("import", {
        dataset: "wc",
        path: realData("wildchat/wildchat_convotopo_full.jsonl"),
      });
      await app.jobs.waitFor(imported.id);

      const real = await executeYoga(yoga, LabelConversationsWithLlmDocument, {
        input: { dataset: "wc" },
      });
      expect(real.labelConversationsWithLlm).toMatchObject({ __typename: "UnavailableError" });

      const dry = await executeYoga(yoga, LabelConversationsWithLlmDocument, {
        input: { dataset: "wc", dryRun: true },
      });
      if (dry.labelConversationsWithLlm.__typename !== "MutationLabelConversationsWithLlmSuccess")
        throw new Error("expected a job");
      const done = await app.jobs.waitFor(dry.labelConversationsWithLlm.data.id);
      expect(done.status).toBe("completed");
      expect(JSON.stringify(done.result)).toMatch(/calls/);

      const missing = await executeYoga(yoga, LabelConversationsWithLlmDocument, {
        input: { dataset: "nope" },
      });
      expect(missing.labelConversationsWithLlm).toMatchObject({ __typename: "NotFoundError" });
    } finally {
      await app.close();
    }
  });
});
