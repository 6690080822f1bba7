import type { Db } from "../db/database.ts";
import type { AspectLabel } from "../domain/rubric/statistical-extraction.types.ts";
import type { HostedAspectDetector } from "../plugin-host/plugin-host.ts";

/** A rated assistant turn with its group, intent and measured aspects. */
export interface MeasuredTurn {
  /** The assistant message id, as evidence. */
  turnId: string;
  group: string;
  domain: string;
  task: string;
  satisfied: boolean;
  /** One flag per aspect of `MeasuredTurns.aspects`. */
  aspects: boolean[];
}

export interface MeasuredTurns {
  aspects: (AspectLabel & { detector: string; description: string })[];
  turns: MeasuredTurn[];
  /** Replies a detector failed on, counted per detector; those aspects count as absent there. */
  detectorFailures: Record<string, number>;
}

const PAGE_SIZE = 2000;

/**
 * Reads every SAT or DSAT assistant turn of a dataset whose conversation has a current group
 * in `groups` and a current intent, a page at a time, and runs the aspect detectors on each
 * reply. Only flags are kept in memory, never the reply texts.
 */
export async function loadMeasuredTurns(
  db: Db,
  scope: { datasetId: string; groupingId: string; groups: readonly string[] },
  detectors: readonly HostedAspectDetector[],
  onPage?: (loaded: number) => Promise<void>,
): Promise<MeasuredTurns> {
  const aspects = detectors.flatMap((detector) =>
    detector.aspects.map((aspect) => ({ ...aspect, detector: detector.id })),
  );
  const turns: MeasuredTurn[] = [];
  const detectorFailures: Record<string, number> = {};
  let afterId = 0;
  for (;;) {
    const rows = await db
      .selectFrom("current_turn_judgments as judgment")
      .innerJoin("messages as reply", "reply.id", "judgment.message_id")
      .innerJoin("conversations", "conversations.id", "reply.conversation_id")
      .innerJoin("current_group_labels as label", (join) =>
        join
          .onRef("label.conversation_id", "=", "conversations.id")
          .on("label.grouping_id", "=", scope.groupingId),
      )
      .innerJoin("current_intent_labels as intent", "intent.conversation_id", "conversations.id")
      .leftJoin("messages as request", (join) =>
        join
          .onRef("request.conversation_id", "=", "reply.conversation_id")
          .on((eb) => eb("request.position", "=", eb("reply.position", "-", 1))),
      )
      .select([
        "reply.id as id",
        "reply.content as content",
        "request.content as request",
        "judgment.judgment as judgment",
        "label.group_name as group",
        "intent.domain as domain",
        "intent.task as task",
      ])
      .where("conversations.dataset_id", "=", scope.datasetId)
      .where("judgment.judgment", "in", ["SAT", "DSAT"])
      .where("label.group_name", "in", [...scope.groups])
      .where("reply.id", ">", afterId)
      .orderBy("reply.id")
      .limit(PAGE_SIZE)
      .execute();
    if (rows.length === 0) break;
    afterId = rows.at(-1)!.id;

    for (const row of rows) {
      const flags: boolean[] = [];
      for (const detector of detectors) {
        const result = detector.detect({ content: row.content, request: row.request ?? "" });
        if (!result.ok) detectorFailures[detector.id] = (detectorFailures[detector.id] ?? 0) + 1;
        for (const aspect of detector.aspects)
          flags.push(result.ok ? result.value[aspect.name] === true : false);
      }
      turns.push({
        turnId: String(row.id),
        group: row.group,
        domain: row.domain,
        task: row.task,
        satisfied: row.judgment === "SAT",
        aspects: flags,
      });
    }
    await onPage?.(turns.length);
  }
  return { aspects, turns, detectorFailures };
}
