/**
 * Benchmark of statistical rubric extraction (`npm run bench:extract`). Prints figures; it
 * is not a test.
 *
 * It runs the built-in aspect detectors over the real assistant replies in the shared data
 * folder and resamples those replies to 10,000 and 100,000 rated turns. Groups and SAT labels
 * are synthetic: group A likes numbered steps and group B likes short replies, so the
 * extraction has something to find. The extraction runs with 1,000 permutations.
 * Each size runs in its own child process, so the peak resident memory is that size's alone.
 *
 * Environment: TAILOR_DATA_DIR (default ../shared/data next to the repository),
 * BENCH_SIZES (comma-separated turn counts, default 10000,100000), BENCH_PERMUTATIONS.
 */
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createBuiltInDetectors } from "../plugins/aspect-detectors/detectors.ts";
import { extractStatisticalRubric } from "../src/domain/rubric/statistical-extraction.ts";
import type { AspectLabel, RatedTurn } from "../src/domain/rubric/statistical-extraction.types.ts";
import { SeededRandom } from "../src/domain/statistics/random.ts";

const DATA_DIR =
  process.env.TAILOR_DATA_DIR ?? path.resolve(import.meta.dirname, "../../shared/data");
const SIZES = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const PERMUTATIONS = Number(process.env.BENCH_PERMUTATIONS ?? 1000);

interface ChildReport {
  size: number;
  detectSeconds: number;
  replies: number;
  extractSeconds: number;
  peakRssMiB: number;
  /** Peak resident memory before the extraction started (data loaded, turns built). */
  rssBeforeMiB: number;
  tested: number;
  kept: string[];
}

function readJsonl(relative: string): unknown[] {
  const text = readFileSync(path.join(DATA_DIR, relative), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

/** Collects every assistant reply in the WildChat, Chatbot Arena and OpenAssistant samples. */
function loadAssistantReplies(): string[] {
  const replies: string[] = [];
  const chatFiles = [
    "wildchat/wildchat_convotopo_full.jsonl",
    "wildchat/wildchat_convotopo_partial.jsonl",
    "chatbot_arena/chatbot_arena_convotopo.jsonl",
  ];
  for (const file of chatFiles) {
    for (const record of readJsonl(file) as { messages: { role: string; content: string }[] }[]) {
      for (const message of record.messages)
        if (message.role === "assistant") replies.push(message.content);
    }
  }
  type TreeNode = { role: string; text: string; replies?: TreeNode[] };
  const walk = (node: TreeNode): void => {
    if (node.role === "assistant") replies.push(node.text);
    for (const child of node.replies ?? []) walk(child);
  };
  for (const tree of readJsonl("oasst1/oasst1_en_100_trees.jsonl") as { prompt: TreeNode }[])
    walk(tree.prompt);
  return replies;
}

/** Runs the detectors once per distinct reply and returns aspect labels and bitmasks. */
function detectAspects(replies: readonly string[]): { aspects: AspectLabel[]; masks: number[] } {
  const detectors = createBuiltInDetectors();
  const aspects = detectors.flatMap((detector) =>
    detector.aspects.map(({ name, phrase }) => ({ name, phrase })),
  );
  const index = new Map(aspects.map((aspect, position) => [aspect.name, position]));
  const masks = replies.map((content) => {
    let mask = 0;
    for (const detector of detectors) {
      for (const [name, present] of Object.entries(detector.detect({ content, request: "" }))) {
        if (present) mask |= 1 << index.get(name)!;
      }
    }
    return mask >>> 0;
  });
  return { aspects, masks };
}

function runSize(size: number): ChildReport {
  const replies = loadAssistantReplies();
  const detectStart = performance.now();
  const { aspects, masks } = detectAspects(replies);
  const detectSeconds = (performance.now() - detectStart) / 1000;

  const steps = 1 << aspects.findIndex((aspect) => aspect.name === "numbered-steps");
  const short = 1 << aspects.findIndex((aspect) => aspect.name === "short-reply");
  const random = new SeededRandom(`bench-extract:${size}`);
  const turns: RatedTurn[] = [];
  for (let index = 0; index < size; index += 1) {
    const mask = masks[random.nextBelow(masks.length)]!;
    const side = random.nextFloat() < 0.55 ? "A" : "B";
    let satProbability = side === "A" ? 0.45 : 0.5;
    if (side === "A" && mask & steps) satProbability += 0.25;
    if (side === "B" && mask & short) satProbability += 0.25;
    turns.push({
      turnId: `t${index}`,
      group: side,
      satisfied: random.nextFloat() < satProbability,
      aspects: mask,
    });
  }

  const rssBeforeMiB = process.resourceUsage().maxRSS / 1024;
  const extractStart = performance.now();
  const result = extractStatisticalRubric(
    { aspects, turns, groupNames: ["group A users", "group B users"] },
    { permutations: PERMUTATIONS, seed: 7 },
  );
  const extractSeconds = (performance.now() - extractStart) / 1000;
  return {
    size,
    detectSeconds,
    replies: replies.length,
    extractSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    rssBeforeMiB,
    tested: result.tested,
    kept: [...result.kept],
  };
}

function runInChild(size: number): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, ["--size", String(size)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.once("message", (message) => resolve(message as ChildReport));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0)
        reject(new Error(`Benchmark child for ${size} turns exited with code ${code}.`));
    });
  });
}

async function main(): Promise<void> {
  const sizeFlag = process.argv.indexOf("--size");
  if (sizeFlag >= 0) {
    process.send!(runSize(Number(process.argv[sizeFlag + 1])));
    return;
  }

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log(`extract benchmark: ${os.cpus().length} cores (${cpu}), Node ${process.version}`);
  console.log(`permutations: ${PERMUTATIONS}`);

  const reports: ChildReport[] = [];
  for (const size of SIZES) {
    const report = await runInChild(size);
    reports.push(report);
    const nanosPerUnit = (report.extractSeconds * 1e9) / (size * PERMUTATIONS);
    if (reports.length === 1) {
      const perReply = (report.detectSeconds * 1e6) / report.replies;
      console.log(
        `detectors: ${report.replies} real replies in ${report.detectSeconds.toFixed(2)} s (${perReply.toFixed(0)} µs per reply)`,
      );
    }
    console.log(
      `${size} turns: ${report.extractSeconds.toFixed(2)} s, ${nanosPerUnit.toFixed(2)} ns per turn × permutation, ` +
        `peak RSS ${report.peakRssMiB.toFixed(0)} MiB (${report.rssBeforeMiB.toFixed(0)} MiB before extraction), ${report.tested} aspects tested, kept: ${report.kept.join(", ") || "none"}`,
    );
  }
  if (reports.length >= 2) {
    const first = reports[0]!;
    const last = reports[reports.length - 1]!;
    const unit = (report: ChildReport) => report.extractSeconds / (report.size * PERMUTATIONS);
    console.log(
      `ratio of time per turn × permutation, ${last.size} vs ${first.size} turns: ${(unit(last) / unit(first)).toFixed(2)}`,
    );
  }
}

await main();
