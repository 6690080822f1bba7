import type { AspectDetector } from "../../src/plugin-api/index.ts";
import { contentDetector } from "./content.detector.ts";
import {
  createLengthDetector,
  DEFAULT_LENGTH_THRESHOLDS,
  type LengthThresholds,
} from "./length.detector.ts";
import { stanceDetector } from "./stance.detector.ts";
import { structureDetector } from "./structure.detector.ts";
import { voiceDetector } from "./voice.detector.ts";

/** Builds every built-in detector, in the order their aspects are listed in rubrics. */
export function createBuiltInDetectors(
  lengthThresholds: LengthThresholds = DEFAULT_LENGTH_THRESHOLDS,
): AspectDetector[] {
  return [
    structureDetector,
    createLengthDetector(lengthThresholds),
    contentDetector,
    stanceDetector,
    voiceDetector,
  ];
}
