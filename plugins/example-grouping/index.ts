/**
 * Example grouping plugin: is the user a student or a working professional?
 *
 * Copy this file to start your own grouping. It shows every part a group classifier needs:
 * the plugin definition, the options a grouping passes in, the declared groups, and a
 * `classify` that returns a group, a confidence and a rationale, or `unknown`.
 *
 * Load it by listing it in tailor.config.json, next to which this path resolves:
 *
 *   { "plugins": [{ "module": "./plugins/example-grouping/index.ts" }] }
 *
 * and create a grouping that uses it, e.g. with options { "minCues": 2 }.
 */

// A plugin imports the plugin API only: the contracts, helpers, and `z` (zod) for schemas.
// Never import Tailor's internals; they change without notice, the API does not.
import {
  createCueMatcher,
  definePlugin,
  type GroupClassifier,
  type GroupClassifierFactory,
  UNKNOWN_GROUP,
  userMessages,
  z,
} from "../../src/plugin-api/index.ts";

// Cue phrases in English and Chinese. `createCueMatcher` matches Latin-script phrases as whole
// words ("exam" does not match "example") and Chinese ones as substrings, ignoring case.
// biome-ignore format: cue lists packed several to a line are easier to scan
const STUDENT_CUES = [
  "homework", "assignment", "my teacher", "my professor", "exam", "midterm", "quiz", "my class",
  "grade nine", "marks]", "thesis", "my school", "作业", "考试", "老师", "论文", "学生",
];
// biome-ignore format: cue lists packed several to a line are easier to scan
const PROFESSIONAL_CUES = [
  "my boss", "my manager", "my client", "our clients", "our company", "at work", "my team",
  "colleague", "coworker", "stakeholder", "客户", "公司", "同事", "老板",
];

// The options one grouping gives this classifier. The host parses them with this schema
// before calling `create`, so invalid options are rejected with the schema's message, and
// defaults are filled in. Use `z.strictObject` so that a misspelt option is an error.
const optionsSchema = z.strictObject({
  /** How many cues of one kind a conversation needs before it is assigned to a group. */
  minCues: z.number().int().min(1).default(1),
  /** More phrases that mark a student, added to the built-in ones. */
  extraStudentCues: z.array(z.string().min(1)).default([]),
});
type Options = z.infer<typeof optionsSchema>;

// `create` runs once per grouping (and again when a labelling job starts). Do the expensive
// work here, such as compiling cues, not in `classify`.
function create(options: Options): GroupClassifier {
  const student = createCueMatcher([...STUDENT_CUES, ...options.extraStudentCues]);
  const professional = createCueMatcher(PROFESSIONAL_CUES);

  return {
    // Every group `classify` may return besides "unknown". The grouping stores them, and the
    // host rejects any other group that `classify` returns.
    groups: ["student", "professional"],

    // Called once per conversation. It may be async and may use `context.signal` for I/O.
    // Whatever it throws, or returns outside the contract, fails this conversation only:
    // the labelling job records the failure with this plugin's name and moves on.
    classify(conversation) {
      // Read only the user's own words: the assistant's replies carry no evidence about the user.
      const text = userMessages(conversation).join("\n");
      const studentCues = student.find(text);
      const professionalCues = professional.find(text);
      const { minCues } = options;

      if (studentCues.length >= minCues && studentCues.length > professionalCues.length) {
        return {
          group: "student",
          // A confidence in [0, 1]; more cues, more confidence.
          confidence: Math.min(0.5 + 0.1 * studentCues.length, 0.9),
          rationale: `student cues: ${studentCues.join(", ")}`,
        };
      }
      if (professionalCues.length >= minCues && professionalCues.length > studentCues.length) {
        return {
          group: "professional",
          confidence: Math.min(0.5 + 0.1 * professionalCues.length, 0.9),
          rationale: `professional cues: ${professionalCues.join(", ")}`,
        };
      }
      // When the evidence is missing or mixed, say so: "unknown" with the reason keeps the
      // groups clean, and rubric extraction leaves these conversations out.
      return {
        group: UNKNOWN_GROUP,
        confidence: 0.5,
        rationale:
          studentCues.length + professionalCues.length === 0
            ? "no student or workplace cues"
            : `mixed cues: ${[...studentCues, ...professionalCues].join(", ")}`,
      };
    },
  };
}

// The factory: an id that groupings refer to, a description for the `plugins` query, the
// options schema and `create`.
export const studentOrProfessional: GroupClassifierFactory<Options> = {
  id: "student-or-professional",
  description: "Student or working professional, from cue phrases in the user's messages.",
  optionsSchema,
  create,
};

// The module's default export is the plugin. `apiVersion: 1` is the plugin API version this
// file was written against; the host refuses to load a plugin written for another version.
export default definePlugin({
  name: "example-grouping",
  version: "1.0.0",
  apiVersion: 1,
  description: "Example group classifier: student or professional.",
  // `setup` runs once at start-up. Register every capability here; a throw stops start-up
  // with a message naming this plugin.
  setup(context) {
    context.registerGroupClassifier(studentOrProfessional);
  },
});
