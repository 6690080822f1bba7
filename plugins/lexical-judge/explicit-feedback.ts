import type { Judgment } from "../../src/plugin-api/index.ts";

/** A judgment read from feedback the source recorded, with how much it weighs. */
export interface ExplicitReading {
  judgment: Exclude<Judgment, "NA">;
  confidence: number;
  rationale: string;
  /** Weak readings (a best rank alone) yield to cues in the user's next message. */
  weak: boolean;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Reads `"up"` or `"down"`, in any case; anything else is no thumbs. */
export function readThumbs(value: unknown): ExplicitReading | null {
  if (typeof value !== "string") return null;
  const thumbs = value.trim().toLowerCase();
  if (thumbs === "up") {
    return { judgment: "SAT", confidence: 1, rationale: "thumbs up", weak: false };
  }
  if (thumbs === "down") {
    return { judgment: "DSAT", confidence: 1, rationale: "thumbs down", weak: false };
  }
  return null;
}

/**
 * Reads a message's explicit feedback, in this order. A `thumbs` field decides. Then vote
 * counts (`upvotes` and `downvotes` as importers store them, or OpenAssistant's `+1`/`-1` emoji
 * counts, at the top or under `emojis`): more up than down votes is SAT, more down is DSAT,
 * and a tie is ignored. Last, `rank` 0 (best among ranked siblings) is a weak SAT. A rank
 * above 0 is ignored, because the second-best reply may still have pleased the user.
 */
export function readExplicitFeedback(
  feedback: Readonly<Record<string, unknown>> | null | undefined,
): ExplicitReading | null {
  if (!feedback) return null;
  const thumbs = readThumbs(feedback.thumbs);
  if (thumbs) return thumbs;

  const emojis = (
    typeof feedback.emojis === "object" && feedback.emojis !== null ? feedback.emojis : {}
  ) as Record<string, unknown>;
  const up = count(feedback.upvotes) || count(feedback["+1"]) || count(emojis["+1"]);
  const down = count(feedback.downvotes) || count(feedback["-1"]) || count(emojis["-1"]);
  if (up > down) {
    return {
      judgment: "SAT",
      confidence: 0.9,
      rationale: `${up} up, ${down} down votes`,
      weak: false,
    };
  }
  if (down > up) {
    return {
      judgment: "DSAT",
      confidence: 0.9,
      rationale: `${up} up, ${down} down votes`,
      weak: false,
    };
  }

  if (feedback.rank === 0) {
    return {
      judgment: "SAT",
      confidence: 0.55,
      rationale: "ranked best among its siblings (a weak signal)",
      weak: true,
    };
  }
  return null;
}
