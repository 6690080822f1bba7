import type { AspectDeclaration, AspectDetector } from "../../src/plugin-api/index.ts";
import { type PreparedReply, prepareReply } from "./reply-text.ts";

/** One binary aspect: its declaration and the test that decides it on a prepared reply. */
export interface AspectRule extends AspectDeclaration {
  test(reply: PreparedReply): boolean;
}

/** Builds an aspect detector that prepares the reply once and applies each rule to it. */
export function detectorFromRules(id: string, rules: readonly AspectRule[]): AspectDetector {
  const aspects = rules.map(({ name, description, phrase }) => ({ name, description, phrase }));
  return {
    id,
    aspects,
    detect(reply) {
      const prepared = prepareReply(reply.content);
      const found: Record<string, boolean> = {};
      for (const rule of rules) found[rule.name] = rule.test(prepared);
      return found;
    },
  };
}
