import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConversationDocument,
  ConversationLabelsDocument,
  ConversationsDocument,
  CreateGroupingDocument,
  ExtractRubricsDocument,
  GroupingsDocument,
  ImportConversationsDocument,
  IntentsDocument,
  LabelConversationsDocument,
  PluginsDocument,
  RubricDiffDocument,
  RubricsDocument,
  TailoringPlanDocument,
  type TailoringPlanInput,
  UpdateGroupingDocument,
} from "../../src/graphql/generated/graphql.ts";
import { createTailorYoga, type TailorYoga } from "../../src/server.ts";
import { executeYoga } from "../support/graphql-http.ts";
import { BACKENDS, createTestApp, type TestApp } from "../support/test-app.ts";

const DEMO_FILE = path.resolve(import.meta.dirname, "../../examples/demo-conversations.jsonl");
const DEBUG_QUESTION =
  "I get this error in Python: TypeError: 'NoneType' object is not subscriptable. How do I fix this bug?";

describe.each(BACKENDS)("pipeline through GraphQL on %s", (backend) => {
  let app: TestApp;
  let yoga: TailorYoga;
  let trustedYoga: TailorYoga;
  let firstRubricId: string;

  beforeAll(async () => {
    app = await createTestApp({ backend });
    yoga = createTailorYoga(app);
    trustedYoga = createTailorYoga(app, { trusted: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function runJob(jobId: string) {
    const done = await app.jobs.waitFor(jobId);
    expect(done.error).toBeNull();
    expect(done.status).toBe("completed");
    return done.result as Record<string, unknown>;
  }

  it("imports the demo file from a trusted path", async () => {
    const untrusted = await executeYoga(yoga, ImportConversationsDocument, {
      input: { dataset: "demo", path: DEMO_FILE },
    });
    expect(untrusted.importConversations).toMatchObject({
      __typename: "InvalidInputError",
      field: "input.path",
    });

    const { importConversations } = await executeYoga(trustedYoga, ImportConversationsDocument, {
      input: { dataset: "demo", path: DEMO_FILE },
    });
    if (importConversations.__typename !== "MutationImportConversationsSuccess")
      throw new Error(importConversations.message);
    const result = await runJob(importConversations.data.id);
    expect(result.imported).toBe(1600);
  });

  it("creates groupings and rejects bad options", async () => {
    const bad = await executeYoga(yoga, CreateGroupingDocument, {
      input: { name: "broken", classifier: "metadata", options: { field: 42 } },
    });
    expect(bad.createGrouping.__typename).toBe("InvalidInputError");
    const unknownClassifier = await executeYoga(yoga, CreateGroupingDocument, {
      input: { name: "broken", classifier: "no-such-classifier" },
    });
    expect(unknownClassifier.createGrouping.__typename).toBe("InvalidInputError");

    const created = await executeYoga(yoga, CreateGroupingDocument, {
      input: {
        name: "region",
        classifier: "metadata",
        options: { field: "country", table: { "United States": "US" }, defaultGroup: "other" },
      },
    });
    expect(created.createGrouping).toMatchObject({
      __typename: "MutationCreateGroupingSuccess",
      data: { declaredGroups: ["US", "other"] },
    });
    const duplicate = await executeYoga(yoga, CreateGroupingDocument, {
      input: { name: "region", classifier: "metadata", options: {} },
    });
    expect(duplicate.createGrouping.__typename).toBe("InvalidInputError");

    const updated = await executeYoga(yoga, UpdateGroupingDocument, {
      input: {
        name: "region",
        options: {
          field: "country",
          table: { "United States": "US", India: "India" },
          defaultGroup: "other",
        },
      },
    });
    expect(updated.updateGrouping).toMatchObject({
      data: { declaredGroups: expect.arrayContaining(["US", "India", "other"]) },
    });
    await executeYoga(yoga, UpdateGroupingDocument, {
      input: {
        name: "region",
        options: { field: "country", table: { "United States": "US" }, defaultGroup: "other" },
      },
    });
  });

  it("labels groups, intents and judgments", async () => {
    const { labelConversations } = await executeYoga(yoga, LabelConversationsDocument, {
      input: { dataset: "demo" },
    });
    if (labelConversations.__typename !== "MutationLabelConversationsSuccess")
      throw new Error(labelConversations.message);
    const summary = (await runJob(labelConversations.data.id)) as {
      conversations: number;
      groups: Record<string, Record<string, number>>;
      judgments: Record<string, number>;
      failures: number;
    };
    expect(summary.conversations).toBe(1600);
    expect(summary.failures).toBe(0);
    const region = summary.groups.region!;
    expect((region.US ?? 0) + (region.other ?? 0)).toBe(1600);
    // Every demo conversation ends with the user's reaction to the one assistant turn.
    expect(summary.judgments.SAT! + summary.judgments.DSAT!).toBeGreaterThan(1400);

    const { groupings } = await executeYoga(yoga, GroupingsDocument, { dataset: "demo" });
    const counts = Object.fromEntries(
      groupings[0]!.groups.map((group) => [group.name, group.conversations]),
    );
    expect(counts).toEqual(region);
    const { intents } = await executeYoga(yoga, IntentsDocument, { dataset: "demo" });
    expect(intents.find((intent) => intent.task === "debugging")?.conversations).toBeGreaterThan(
      700,
    );
  });

  it("re-labelling replaces the same plugin version's labels", async () => {
    const { db } = app.database;
    const before = await db
      .selectFrom("group_labels")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const conversation = await db
      .selectFrom("conversations")
      .select("id")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const grouping = await db.selectFrom("groupings").select("id").executeTakeFirstOrThrow();
    await db
      .insertInto("group_labels")
      .values({
        conversation_id: conversation.id,
        grouping_id: grouping.id,
        group_name: "other",
        confidence: 0.5,
        rationale: "from another plugin",
        plugin: "someone-else",
        plugin_version: "0.1.0",
        job_id: null,
        created_at: new Date("2020-01-01"),
      })
      .execute();
    const { labelConversations } = await executeYoga(yoga, LabelConversationsDocument, {
      input: { dataset: "demo", groupings: ["region"] },
    });
    if (labelConversations.__typename !== "MutationLabelConversationsSuccess")
      throw new Error(labelConversations.message);
    await runJob(labelConversations.data.id);
    const after = await db
      .selectFrom("group_labels")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
    const kept = await db
      .selectFrom("group_labels")
      .select("plugin")
      .where("plugin", "=", "someone-else")
      .execute();
    expect(kept).toHaveLength(1);
  });

  it("shows labels per conversation and filters by them", async () => {
    const { conversations } = await executeYoga(yoga, ConversationsDocument, {
      filter: {
        dataset: "demo",
        labels: { grouping: "region", group: "US", task: "debugging", judgment: "DSAT" },
      },
      first: 5,
    });
    expect(conversations.edges.length).toBe(5);
    const id = conversations.edges[0]!.node.id;
    const { conversation } = await executeYoga(yoga, ConversationDocument, { id });
    expect(conversation?.dataset.name).toBe("demo");
    expect(conversation?.messages.map((message) => message.role)).toEqual([
      "USER",
      "ASSISTANT",
      "USER",
    ]);
    expect(conversation?.metadata).toMatchObject({ country: "United States" });
    const { node } = await executeYoga(yoga, ConversationLabelsDocument, { id });
    if (node?.__typename !== "Conversation") throw new Error("expected a conversation");
    expect(node.groups.find((label) => label.grouping === "region")?.group).toBe("US");
    expect(node.intent?.task).toBe("debugging");
    const judged = node.messages.filter((message) => message.judgment);
    expect(judged.map((message) => message.judgment?.judgment)).toContain("DSAT");
    expect(
      node.messages
        .filter((message) => message.role === "USER")
        .every((message) => message.judgment === null),
    ).toBe(true);
  });

  it("extracts the planted rubric with a clean shuffle control", async () => {
    const { extractRubrics } = await executeYoga(yoga, ExtractRubricsDocument, {
      input: { dataset: "demo", grouping: "region", seed: 7 },
    });
    if (extractRubrics.__typename !== "MutationExtractRubricsSuccess")
      throw new Error(extractRubrics.message);
    await runJob(extractRubrics.data.id);
    const { rubrics } = await executeYoga(yoga, RubricsDocument, {
      filter: { grouping: "region", task: "debugging" },
    });
    expect(rubrics).toHaveLength(1);
    const rubric = rubrics[0]!;
    firstRubricId = rubric.id;
    expect(rubric.version).toBe(1);
    expect(rubric.aspects.map((aspect) => aspect.name).sort()).toEqual([
      "numbered-steps",
      "short-reply",
    ]);
    const steps = rubric.aspects.find((aspect) => aspect.name === "numbered-steps")!;
    expect(steps.description).toMatch(
      /^US users were more satisfied when replies used numbered steps: \+\d+ points/,
    );
    expect((steps.statistics as { qValue: number }).qValue).toBeLessThan(0.05);
    expect((rubric.summary as { shuffleControl: { kept: string[] } }).shuffleControl.kept).toEqual(
      [],
    );
    expect((steps.evidence as unknown[]).length).toBeGreaterThan(0);

    const { rubrics: poems } = await executeYoga(yoga, RubricsDocument, {
      filter: { grouping: "region", task: "poem" },
    });
    expect(poems[0]?.empty).toBe(true);
    expect(poems[0]?.emptyReason).toMatch(/\w+/);
    const { rubrics: strong } = await executeYoga(yoga, RubricsDocument, {
      filter: { grouping: "region", minSignificance: 4 },
    });
    expect(strong.map((found) => found.task)).toEqual(["debugging"]);
  });

  it("versions rubrics and diffs two versions", async () => {
    const { extractRubrics } = await executeYoga(yoga, ExtractRubricsDocument, {
      input: { dataset: "demo", grouping: "region", seed: 8, threshold: 4.5 },
    });
    if (extractRubrics.__typename !== "MutationExtractRubricsSuccess")
      throw new Error(extractRubrics.message);
    await runJob(extractRubrics.data.id);
    const { rubrics } = await executeYoga(yoga, RubricsDocument, {
      filter: { grouping: "region", task: "debugging", activeOnly: false },
    });
    expect(rubrics.map((rubric) => [rubric.version, rubric.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    const { rubricDiff } = await executeYoga(yoga, RubricDiffDocument, {
      from: firstRubricId,
      to: rubrics[0]!.id,
    });
    if (rubricDiff.__typename !== "QueryRubricDiffSuccess") throw new Error(rubricDiff.message);
    expect(rubricDiff.data.added).toEqual([]);
    expect(rubricDiff.data.removed).toEqual([]);

    const { rubrics: poems } = await executeYoga(yoga, RubricsDocument, {
      filter: { grouping: "region", task: "poem" },
    });
    const mismatch = await executeYoga(yoga, RubricDiffDocument, {
      from: firstRubricId,
      to: poems[0]!.id,
    });
    expect(mismatch.rubricDiff.__typename).toBe("InvalidInputError");
  });

  async function plan(input: TailoringPlanInput) {
    const { tailoringPlan } = await executeYoga(yoga, TailoringPlanDocument, { input });
    if (tailoringPlan.__typename !== "QueryTailoringPlanSuccess")
      throw new Error(tailoringPlan.message);
    return tailoringPlan.data;
  }

  it("plans a tailored answer per group", async () => {
    const us = await plan({
      messages: [{ role: "USER", content: DEBUG_QUESTION }],
      userMetadata: { country: "United States" },
    });
    expect(us.group.name).toBe("US");
    expect(us.group.origin.source).toBe("CLASSIFIER");
    expect(us.intent).toMatchObject({ domain: "programming", task: "debugging" });
    expect(us.decision).toMatchObject({ personalize: true, reason: "PERSONALIZED" });
    expect(us.rules.map((rule) => [rule.aspect, rule.direction])).toEqual([
      ["numbered-steps", "prefer"],
    ]);
    expect(us.messages[0]?.role).toBe("SYSTEM");
    expect(us.messages[0]?.content).toContain("numbered steps");
    expect(us.messages.at(-1)?.content).toBe(DEBUG_QUESTION);

    const india = await plan({
      messages: [{ role: "USER", content: DEBUG_QUESTION }],
      userMetadata: { country: "India" },
    });
    expect(india.group.name).toBe("other");
    expect(india.rules.map((rule) => rule.aspect)).toEqual(["short-reply"]);
  });

  it("plans a plain answer and says why", async () => {
    const question = [{ role: "USER" as const, content: DEBUG_QUESTION }];
    const unknown = await plan({ messages: question, userMetadata: {} });
    expect(unknown.decision.reason).toBe("UNKNOWN_GROUP");
    expect(unknown.messages).toHaveLength(1);

    const poem = await plan({
      messages: [{ role: "USER", content: "Write a short poem about the sea." }],
      group: "US",
    });
    expect(poem.decision.reason).toBe("EMPTY_RUBRIC");
    expect(poem.decision.explanation).toMatch(/empty/);

    const noRubric = await plan({
      messages: question,
      group: "US",
      intent: { domain: "other", task: "other" },
    });
    expect(noRubric.decision.reason).toBe("NO_RUBRIC");

    const strict = await plan({ messages: question, group: "US", minSignificance: 5 });
    expect(strict.decision.reason).toBe("BELOW_THRESHOLD");

    const badGroup = await executeYoga(yoga, TailoringPlanDocument, {
      input: { messages: question, group: "Mars" },
    });
    expect(badGroup.tailoringPlan).toMatchObject({
      __typename: "InvalidInputError",
      field: "group",
    });
    const empty = await executeYoga(yoga, TailoringPlanDocument, { input: { messages: [] } });
    expect(empty.tailoringPlan).toMatchObject({
      __typename: "InvalidInputError",
      field: "messages",
    });
  });

  it("lists plugins with their kinds", async () => {
    const { plugins } = await executeYoga(yoga, PluginsDocument, {});
    const kinds = new Set(plugins.flatMap((plugin) => plugin.kinds));
    for (const kind of [
      "groupClassifier",
      "intentClassifier",
      "satisfactionJudge",
      "aspectDetector",
    ])
      expect(kinds).toContain(kind);
  });
});
