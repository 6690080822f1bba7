import { describe, expect, it } from "vitest";
import { oasstMapper } from "../../src/importers/oasst.importer.ts";
import {
  leafPaths,
  MAX_PATH_MESSAGES,
  MAX_TREE_MESSAGES,
  readTree,
} from "../../src/importers/oasst-tree.ts";
import { conversations, DEFAULT_OPTIONS, readItems, rejections, tempFile } from "./helpers.ts";

interface Node {
  message_id: string;
  role: string;
  text: string;
  replies?: Node[];
}

const roleAt = (depth: number) => (depth % 2 === 0 ? "prompter" : "assistant");

/** Builds a reply chain of `length` messages bottom-up, so no step recurses. */
function chain(length: number, prefix: string, leaves: Node[] = []): Node {
  let node: Node = {
    message_id: `${prefix}${length - 1}`,
    role: roleAt(length - 1),
    text: "t",
    replies: leaves,
  };
  for (let depth = length - 2; depth >= 0; depth--) {
    node = { message_id: `${prefix}${depth}`, role: roleAt(depth), text: "t", replies: [node] };
  }
  return node;
}

/**
 * Writes one JSONL line with a tree whose prompt starts a reply chain of `length` messages.
 * The text is built by hand because JSON.stringify recurses and overflows on such depth.
 */
function chainLine(length: number, treeId: string): string {
  const opening: string[] = [];
  for (let depth = 0; depth < length; depth++) {
    const fields = `"message_id":"m${depth}","role":"${roleAt(depth)}","text":"t"`;
    opening.push(depth < length - 1 ? `{${fields},"replies":[` : `{${fields}}`);
  }
  return `{"message_tree_id":"${treeId}","prompt":${opening.join("")}${"]}".repeat(length - 1)}}`;
}

describe("oasst tree limits", () => {
  it("rejects a 20,000-deep chain only", async () => {
    const file = await tempFile(
      "deep.jsonl",
      `${chainLine(20_000, "deep")}\n${chainLine(4, "ok")}\n`,
    );
    const { items } = await readItems(file);
    expect(rejections(items)).toEqual([
      {
        line: 1,
        reason:
          `1 of 1 conversations in tree deep rejected: path to message m${MAX_PATH_MESSAGES - 1}: ` +
          `the conversation is longer than ${MAX_PATH_MESSAGES} messages, the maximum; ` +
          "the replies below this message were not read",
      },
    ]);
    const imported = conversations(items);
    expect(imported).toHaveLength(1);
    expect(imported[0]!.metadata.message_tree_id).toBe("ok");
    expect(imported[0]!.messages).toHaveLength(4);
  });

  it("imports a path at the limit", () => {
    const items = oasstMapper.map(
      { message_tree_id: "edge", prompt: chain(MAX_PATH_MESSAGES, "m") },
      1,
      DEFAULT_OPTIONS,
    );
    expect(rejections(items)).toEqual([]);
    expect(conversations(items)[0]!.messages).toHaveLength(MAX_PATH_MESSAGES);
  });

  it("ignores dropped replies at the limit", () => {
    const root = chain(MAX_PATH_MESSAGES, "m", [
      { message_id: "gone", role: "assistant", text: "t", deleted: true } as Node,
    ]);
    const items = oasstMapper.map({ message_tree_id: "edge", prompt: root }, 1, DEFAULT_OPTIONS);
    expect(rejections(items)).toEqual([]);
    expect(conversations(items)).toHaveLength(1);
  });

  it("keeps short branches of a deep tree", () => {
    const prompt: Node = {
      message_id: "root",
      role: "prompter",
      text: "t",
      replies: [
        { message_id: "short", role: "assistant", text: "t" },
        { ...chain(MAX_PATH_MESSAGES + 1, "d"), role: "assistant" },
      ],
    };
    const items = oasstMapper.map({ message_tree_id: "mixed", prompt }, 5, DEFAULT_OPTIONS);
    expect(conversations(items).map((conversation) => conversation.externalId)).toEqual(["short"]);
    expect(rejections(items)).toEqual([
      {
        line: 5,
        reason: expect.stringMatching(
          /^1 of 2 conversations in tree mixed rejected: path to message d9998: the conversation is longer than/,
        ),
      },
    ]);
  });

  it("rejects a tree with too many path messages", () => {
    // 1,001 leaves under a 999-message chain: 1,001 conversations of 1,000 messages each.
    const leaves = Array.from({ length: 1001 }, (_, index) => ({
      message_id: `leaf${index}`,
      role: roleAt(999),
      text: "t",
    }));
    const items = oasstMapper.map(
      { message_tree_id: "wide", prompt: chain(999, "m", leaves) },
      2,
      DEFAULT_OPTIONS,
    );
    expect(items).toEqual([
      {
        kind: "rejected",
        line: 2,
        reason: expect.stringMatching(
          new RegExp(`^tree wide would give more than ${MAX_TREE_MESSAGES} messages`),
        ),
      },
    ]);
  });

  it("walks paths in reply order", () => {
    const root = readTree({
      message_id: "p",
      role: "prompter",
      text: "t",
      replies: [
        { message_id: "a", role: "assistant", text: "t", replies: [chain(2, "x")] },
        { message_id: "b", role: "assistant", text: "t" },
      ],
    })!;
    const ids = [...leafPaths(root)].map((path) => path.map((message) => message.id));
    expect(ids).toEqual([
      ["p", "a", "x0", "x1"],
      ["p", "b"],
    ]);
  });
});
