import { readFileSync } from "node:fs";
import { parquetWriteFile } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.ts";
import { FLAT_OASST_EXPORT, oasstMapper } from "../../src/importers/oasst.importer.ts";
import { realData } from "../support/test-app.ts";
import {
  conversations,
  DEFAULT_OPTIONS,
  jsonl,
  LIMIT_FIX,
  readItems,
  rejections,
  tempFile,
} from "./helpers.ts";

const TREES = realData("oasst1/oasst1_en_100_trees.jsonl");

interface Node {
  message_id: string;
  role: string;
  text: string;
  rank?: number | null;
  deleted?: boolean;
  review_result?: boolean | null;
  emojis?: Record<string, number>;
  replies?: Node[];
}

const node = (id: string, role: string, extra: Partial<Node> = {}): Node => ({
  message_id: id,
  role,
  text: `text of ${id}`,
  review_result: true,
  deleted: false,
  ...extra,
});

/**
 * p1 ─┬─ a1 (rank 0, 👍3 👎1) ── p2 ── a3 (unranked)
 *     ├─ a2 (rank 1) ─┬─ p3 (deleted) ── a4
 *     │               └─ p4 (failed review)
 *     └─ a5 (deleted)
 */
const tree = {
  message_tree_id: "t1",
  tree_state: "ready_for_export",
  prompt: node("p1", "prompter", {
    replies: [
      node("a1", "assistant", {
        rank: 0,
        emojis: { "+1": 3, "-1": 1, _skip_reply: 2 },
        replies: [node("p2", "prompter", { replies: [node("a3", "assistant", { rank: null })] })],
      }),
      node("a2", "assistant", {
        rank: 1,
        replies: [
          node("p3", "prompter", { deleted: true, replies: [node("a4", "assistant")] }),
          node("p4", "prompter", { review_result: false }),
        ],
      }),
      node("a5", "assistant", { deleted: true }),
    ],
  }),
};

describe("oasst trees", () => {
  it("turns each path into a conversation", () => {
    const items = oasstMapper.map(tree, 4, DEFAULT_OPTIONS);
    expect(rejections(items)).toEqual([]);
    const paths = conversations(items);
    expect(paths.map((conversation) => conversation.metadata.message_ids)).toEqual([
      ["p1", "a1", "p2", "a3"],
      ["p1", "a2"],
    ]);
    expect(paths.map((conversation) => conversation.externalId)).toEqual(["a3", "a2"]);
    expect(paths[0]!.metadata).toMatchObject({
      source: "oasst",
      message_tree_id: "t1",
      tree_state: "ready_for_export",
    });
    expect(paths[0]!.messages.map((message) => message.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
  });

  it("keeps rank and votes as feedback", () => {
    const [first, second] = conversations(oasstMapper.map(tree, 4, DEFAULT_OPTIONS));
    expect(first!.messages.map((message) => message.feedback)).toEqual([
      null,
      { rank: 0, upvotes: 3, downvotes: 1 },
      null,
      null,
    ]);
    expect(second!.messages[1]!.feedback).toEqual({ rank: 1 });
  });

  it("rejects a deleted root", () => {
    const items = oasstMapper.map(
      { ...tree, prompt: { ...tree.prompt, deleted: true } },
      9,
      DEFAULT_OPTIONS,
    );
    expect(items).toEqual([
      {
        kind: "rejected",
        line: 9,
        reason: "tree has no usable prompt: the root message is deleted or failed review",
      },
    ]);
  });

  it("rejects oversize paths only", () => {
    const big = structuredClone(tree);
    big.prompt.replies![1]!.text = "x".repeat(100);
    const items = oasstMapper.map(big, 2, { ...DEFAULT_OPTIONS, maxMessageBytes: 50 });
    expect(conversations(items)).toHaveLength(1);
    expect(rejections(items)).toEqual([
      {
        line: 2,
        reason: `1 of 2 conversations in tree t1 rejected: path to message a2: message 2 is 100 bytes, over the limit of 50 bytes${LIMIT_FIX}`,
      },
    ]);
  });

  it("rejects an unknown role", () => {
    const bad = structuredClone(tree);
    bad.prompt.replies![0]!.role = "moderator";
    expect(oasstMapper.map(bad, 1, DEFAULT_OPTIONS)).toEqual([
      {
        kind: "rejected",
        line: 1,
        reason: 'unknown role "moderator" in message a1; expected prompter or assistant',
      },
    ]);
  });

  it("imports the real trees", async () => {
    const { format, items } = await readItems(TREES);
    expect(format).toBe("oasst");
    expect(rejections(items)).toEqual([]);
    const all = conversations(items);
    expect(all).toHaveLength(487);
    expect(new Set(all.map((conversation) => conversation.metadata.message_tree_id)).size).toBe(80);
    const replies = all.flatMap((conversation) =>
      conversation.messages.filter((message) => message.role === "assistant"),
    );
    expect(replies).toHaveLength(763);
    expect(replies.filter((message) => message.feedback?.rank === 0)).toHaveLength(239);
    expect(replies.filter((message) => message.feedback?.rank === undefined)).toHaveLength(29);
  });
});

/** Flattens the first real tree into flat-export records: one message each, with `parent_id`. */
function flatMessages(): Record<string, unknown>[] {
  const tree = JSON.parse(readFileSync(TREES, "utf8").split("\n")[0]!);
  const records: Record<string, unknown>[] = [];
  const pending: [message: Record<string, unknown>, parent: string | null][] = [
    [tree.prompt, null],
  ];
  while (pending.length > 0) {
    const [{ replies, ...message }, parent] = pending.pop()!;
    records.push({ ...message, parent_id: parent, message_tree_id: tree.message_tree_id });
    for (const reply of (replies as Record<string, unknown>[] | undefined) ?? []) {
      pending.push([reply, message.message_id as string]);
    }
  }
  return records;
}

describe("oasst flat export", () => {
  const flat = flatMessages();

  it("names the tree export", () => {
    expect(flat.length).toBeGreaterThan(1);
    expect(oasstMapper.map(flat[0], 3, DEFAULT_OPTIONS)).toEqual([
      { kind: "rejected", line: 3, reason: FLAT_OASST_EXPORT },
    ]);
    expect(FLAT_OASST_EXPORT).toMatch(/only|not supported/);
    expect(FLAT_OASST_EXPORT).toMatch(/\.trees\.jsonl/);
  });

  it.each(["auto", "oasst"] as const)("fails up front with %s", async (format) => {
    const file = await tempFile("oasst.messages.jsonl", jsonl(flat));
    const failure = readItems(file, format);
    await expect(failure).rejects.toBeInstanceOf(InvalidInputError);
    await expect(readItems(file, format)).rejects.toThrow(
      /flat message export .* not supported; import the message-tree export/,
    );
  });

  it("fails up front on parquet", async () => {
    const file = await tempFile("oasst.parquet", "");
    const column = (name: string) => ({
      name,
      type: "STRING" as const,
      data: flat.map((record) => record[name] as string | null),
    });
    parquetWriteFile({
      filename: file,
      columnData: ["message_id", "parent_id", "role", "text", "message_tree_id"].map(column),
    });
    await expect(readItems(file)).rejects.toThrow(/flat message export/);
    await expect(readItems(file, "oasst")).rejects.toThrow(/flat message export/);
  });
});
