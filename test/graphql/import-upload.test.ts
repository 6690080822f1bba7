import { readFile } from "node:fs/promises";
import { print } from "graphql";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  DatasetImportErrorsDocument,
  ImportConversationsDocument,
} from "../../src/graphql/generated/graphql.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { postGraphQL } from "../support/graphql-http.ts";
import { createTestApp, realData, type TestApp } from "../support/test-app.ts";

let app: TestApp;
let server: RunningServer;

beforeAll(async () => {
  app = await createTestApp({
    backend: "pglite",
    env: { TAILOR_MAX_UPLOAD_BYTES: String(4 * 1024 * 1024) },
  });
  server = await startServer(app, 0, "127.0.0.1");
});
afterAll(async () => {
  await server?.close();
  await app?.close();
});

async function upload(content: Blob, name: string) {
  const form = new FormData();
  form.append(
    "operations",
    JSON.stringify({
      query: print(ImportConversationsDocument),
      variables: { input: { dataset: "uploaded", file: null } },
    }),
  );
  form.append("map", JSON.stringify({ 0: ["variables.input.file"] }));
  form.append("0", content, name);
  const response = await fetch(server.url, {
    method: "POST",
    body: form,
    headers: { "graphql-preflight": "1" },
  });
  const text = await response.text();
  return JSON.parse(text) as {
    data?: { importConversations: { __typename: string; data?: { id: string }; message?: string } };
  };
}

it("imports a multipart upload", async () => {
  const bytes = await readFile(realData("wildchat/wildchat_1m_schema.jsonl"));
  const body = await upload(new Blob([bytes]), "wildchat.jsonl");
  expect(body.data?.importConversations.__typename).toBe("MutationImportConversationsSuccess");
  const done = await app.jobs.waitFor(body.data!.importConversations.data!.id);
  expect(done.status).toBe("completed");
  expect(done.result).toMatchObject({ imported: 150, rejected: [] });
});

it("rejects an upload over the limit", async () => {
  const body = await upload(new Blob([new Uint8Array(5 * 1024 * 1024)]), "big.jsonl");
  expect(body.data?.importConversations).toMatchObject({ __typename: "InvalidInputError" });
  expect(body.data?.importConversations.message).toMatch(/limit is 4194304/);
});

it("rejects a server path from an untrusted caller", async () => {
  const body = await postGraphQL(server.url, ImportConversationsDocument, {
    input: { dataset: "x", path: "/etc/passwd" },
  });
  expect(body.data?.importConversations).toMatchObject({
    __typename: "InvalidInputError",
    field: "input.path",
  });
  const errors = await postGraphQL(server.url, DatasetImportErrorsDocument, { name: "uploaded" });
  expect(errors.data?.dataset?.importErrors).toEqual([]);
});
