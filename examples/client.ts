// A minimal application talking to `tailor serve`: it asks how Tailor would answer a user, then
// asks for the answer itself, using the typed documents generated from schema/operations.
//
//   npx tailor demo                     # once: a dataset, labels and rubrics to work with
//   npx tailor serve &                  # the API on http://127.0.0.1:4000/graphql
//   npx tsx examples/client.ts "How do I fix this Python KeyError?" '{"country": "India"}'
//
// generateTailoredResponse needs an LLM provider in tailor.config.json; without one the client
// prints the NoProviderError, whose message says how to add one.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import {
  GenerateTailoredResponseDocument,
  TailoringPlanDocument,
} from "../src/graphql/generated/graphql.ts";

const endpoint = process.env.TAILOR_URL ?? "http://127.0.0.1:4000/graphql";

async function request<Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join("; "));
  return body.data as Result;
}

const question =
  process.argv[2] ??
  "I get TypeError: 'NoneType' object is not subscriptable in Python. How do I fix this bug?";
const userMetadata = JSON.parse(process.argv[3] ?? '{"country": "United States"}') as Record<
  string,
  unknown
>;
const messages = [{ role: "USER" as const, content: question }];

const { tailoringPlan } = await request(TailoringPlanDocument, {
  input: { messages, userMetadata },
});
if (tailoringPlan.__typename !== "QueryTailoringPlanSuccess") {
  console.error(`tailoringPlan failed: ${tailoringPlan.message}`);
  process.exit(1);
}
const plan = tailoringPlan.data;
console.log(
  `group ${plan.group.name ?? "unknown"}, intent ${plan.intent.domain}/${plan.intent.task}`,
);
console.log(`decision: ${plan.decision.explanation}`);
for (const rule of plan.rules)
  console.log(`  rule: ${rule.direction} "${rule.phrase}" (significance ${rule.significance})`);

const { generateTailoredResponse } = await request(GenerateTailoredResponseDocument, {
  input: { messages, userMetadata, mode: "AUTO" },
});
if (generateTailoredResponse.__typename !== "MutationGenerateTailoredResponseSuccess") {
  console.error(`generateTailoredResponse: ${generateTailoredResponse.message}`);
  process.exit(1);
}
const answer = generateTailoredResponse.data;
console.log(`\n[${answer.mode}, ${answer.model}, ${answer.latencyMs} ms]\n${answer.text}`);
