import { z } from "zod";
import { definePlugin } from "../../../src/plugin-api/index.ts";

/**
 * A group classifier that misbehaves on cue, for tests of the labelling job: it throws when the
 * first user message contains "boom", never answers for "hang", and returns an undeclared
 * group for "mars"; otherwise the group is "calm".
 */
export default definePlugin({
  name: "test-flaky-groups",
  version: "0.0.1",
  apiVersion: 1,
  setup(context) {
    context.registerGroupClassifier({
      id: "flaky",
      description: "Misbehaves on cue words, for tests.",
      optionsSchema: z.object({}),
      create: () => ({
        groups: ["calm"],
        classify: (conversation) => {
          const text =
            conversation.messages.find((message) => message.role === "user")?.content ?? "";
          if (text.includes("boom")) throw new Error("exploded on purpose");
          if (text.includes("hang")) return new Promise(() => {});
          if (text.includes("mars")) return { group: "martian", confidence: 1 };
          return { group: "calm", confidence: 0.9 };
        },
      }),
    });
  },
});
