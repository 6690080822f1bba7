import { styleText } from "node:util";
import type { RubricFieldsFragment } from "../graphql/generated/graphql.ts";

type Color = "green" | "yellow" | "red" | "dim";

/** Colors text for a terminal; plain when stdout is not one or NO_COLOR is set. */
export function paint(text: string, color: Color): string {
  if (!process.stdout.isTTY || process.env.NO_COLOR) return text;
  return styleText(color, text);
}

/** Significance colors: 4–5 green, 3 yellow, 1–2 red. */
export function paintSignificance(significance: number): string {
  const text = String(significance);
  if (significance >= 4) return paint(text, "green");
  if (significance === 3) return paint(text, "yellow");
  return paint(text, "red");
}

const SHUFFLE_HEADER = "shuffle ctl";

/**
 * Renders intents × aspects: each cell is the significance of a kept aspect (colored), `·` for
 * an aspect tested but not kept, blank when the cells had too few turns to test. The last
 * columns give the turns compared and how many aspects the label-shuffle control kept.
 */
export function renderRubricTable(rubrics: readonly RubricFieldsFragment[]): string {
  if (rubrics.length === 0) return "No rubrics: no intent had rated turns in both groups.\n";
  const keptAnywhere = [
    ...new Set(
      rubrics.flatMap((rubric) =>
        rubric.aspects.filter((aspect) => aspect.kept).map((aspect) => aspect.name),
      ),
    ),
  ].sort();
  const columns = keptAnywhere.length > 0 ? keptAnywhere : [];
  const rows = rubrics.map((rubric) => {
    const summary = rubric.summary as {
      turns: { a: number; b: number };
      shuffleControl?: { kept: string[] };
    };
    const label = `${rubric.domain}/${rubric.task}  ${rubric.comparison.a} vs ${rubric.comparison.againstRest ? "rest" : rubric.comparison.b}`;
    const cells = columns.map((name) => {
      const aspect = rubric.aspects.find((candidate) => candidate.name === name);
      if (!aspect) return { text: "·", width: 1 };
      const status = (aspect.statistics as { status?: string }).status;
      if (aspect.kept)
        return {
          text: paintSignificance(aspect.significance),
          width: String(aspect.significance).length,
        };
      return status === "insufficient-support" ? { text: "", width: 0 } : { text: "·", width: 1 };
    });
    return {
      label,
      cells,
      turns: `${summary.turns.a}/${summary.turns.b}`,
      shuffle: String(summary.shuffleControl?.kept.length ?? 0),
    };
  });

  const labelWidth = Math.max("intent  comparison".length, ...rows.map((row) => row.label.length));
  const widths = columns.map((name) => Math.max(name.length, 1));
  const header = [
    "intent  comparison".padEnd(labelWidth),
    ...columns.map((name, index) => name.padEnd(widths[index]!)),
    "turns a/b".padEnd(9),
    SHUFFLE_HEADER,
  ].join("  ");
  const lines = [header, "-".repeat(header.length)];
  for (const row of rows) {
    lines.push(
      [
        row.label.padEnd(labelWidth),
        ...row.cells.map(
          (cell, index) => cell.text + " ".repeat(Math.max(0, widths[index]! - cell.width)),
        ),
        row.turns.padEnd(9),
        row.shuffle === "0" ? "0 kept" : paint(`${row.shuffle} kept`, "red"),
      ].join("  "),
    );
  }
  if (columns.length === 0) lines.push("", "No aspect was kept in any intent.");

  const notes: string[] = [];
  for (const rubric of rubrics) {
    const where = `${rubric.domain}/${rubric.task} (${rubric.comparison.a} vs ${rubric.comparison.againstRest ? "rest" : rubric.comparison.b}, v${rubric.version})`;
    const kept = rubric.aspects.filter((aspect) => aspect.kept);
    if (kept.length === 0) {
      notes.push(`${where}: empty. ${rubric.emptyReason ?? ""}`.trim());
      continue;
    }
    for (const aspect of kept) {
      const statistics = aspect.statistics as { qValue?: number | null };
      const q =
        statistics.qValue === null || statistics.qValue === undefined
          ? ""
          : ` (q=${statistics.qValue.toFixed(4)})`;
      notes.push(`${where}: [${paintSignificance(aspect.significance)}] ${aspect.description}${q}`);
    }
  }
  return `${lines.join("\n")}\n\n${notes.join("\n")}\n`;
}
