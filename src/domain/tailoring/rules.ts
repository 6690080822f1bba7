/** A rubric aspect as it applies to one group: the rule to follow and the evidence behind it. */
export interface GroupRule {
  aspect: string;
  /** Completes "when replies …", e.g. "used numbered steps". */
  phrase: string;
  significance: number;
  /** This group's effect of the aspect on its SAT rate, in points; null for LLM rubrics. */
  effectPoints: number | null;
  /** Direction for this group: do more of it, or less. */
  direction: "prefer" | "avoid";
  /** The rubric's sentence stating each group's direction with numbers. */
  description: string;
}

/**
 * Writes one rule as an instruction for the model. Statistical rubrics state how strongly the
 * group's satisfaction moved with the aspect, so the model can weigh rules against each other.
 */
export function ruleInstruction(rule: GroupRule): string {
  // LLM rubrics state each group's preference in words instead of a measured effect.
  if (rule.effectPoints === null) {
    return `This group's preference: ${rule.phrase.replace(/\.$/, "")} (significance ${rule.significance}/5).`;
  }
  const verb = rule.direction === "prefer" ? "Do" : "Avoid";
  const sign = rule.effectPoints > 0 ? "+" : "−";
  const points = Math.abs(Math.round(rule.effectPoints));
  return `${verb} this: the reply ${rule.phrase}. (satisfaction ${sign}${points} points when present, significance ${rule.significance}/5)`;
}
