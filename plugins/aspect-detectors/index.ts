/**
 * Built-in aspect detectors for the statistical rubric method. Each detector measures binary
 * aspects of an assistant reply with regular expressions and string work only (no I/O), with
 * English and Chinese cues. README.md in this folder lists every aspect and what it measures.
 */
import { definePlugin, PLUGIN_API_VERSION, z } from "../../src/plugin-api/index.ts";
import { createBuiltInDetectors } from "./detectors.ts";
import { DEFAULT_LENGTH_THRESHOLDS } from "./length.detector.ts";

const optionsSchema = z
  .object({
    /** A reply with fewer words than this is `short-reply`. */
    shortReplyBelowWords: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_LENGTH_THRESHOLDS.shortBelowWords),
    /** A reply with at least this many words is `long-reply`. */
    longReplyFromWords: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_LENGTH_THRESHOLDS.longFromWords),
  })
  .refine((options) => options.longReplyFromWords > options.shortReplyBelowWords, {
    message: "longReplyFromWords must be greater than shortReplyBelowWords",
    path: ["longReplyFromWords"],
  })
  // A plugin listed without options gets the defaults.
  .prefault({});

export type AspectDetectorsOptions = z.infer<typeof optionsSchema>;

export default definePlugin<AspectDetectorsOptions>({
  name: "@tailor/aspect-detectors",
  version: "0.1.0",
  apiVersion: PLUGIN_API_VERSION,
  optionsSchema,
  setup(context) {
    const detectors = createBuiltInDetectors({
      shortBelowWords: context.options.shortReplyBelowWords,
      longFromWords: context.options.longReplyFromWords,
    });
    for (const detector of detectors) context.registerAspectDetector(detector);
  },
});
