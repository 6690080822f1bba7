import {
  type CueMatcher,
  createCueMatcher,
  definePlugin,
  type IntentAssignment,
  type IntentClassifier,
  type IntentTaxonomy,
  type PluginConversation,
  userMessages,
  z,
} from "../../src/plugin-api/index.ts";
import {
  DEFAULT_FALLBACK,
  DEFAULT_QUESTION_FALLBACK,
  DEFAULT_TAXONOMY,
} from "./default-taxonomy.ts";

/**
 * Keyword intent classifier: a domain and task from cue phrases in the user's first real
 * request, in English and Chinese. The taxonomy and its cues are options, so an integrator can
 * replace them from `tailor.config.json` (`{ "module": "builtin:keyword-intent", ... }`).
 *
 * How it decides: it reads the first user message with at least three words (skipping "hi"),
 * or all user text when there is none. It looks for cues in the first 400 and last 200
 * characters of that message, where instructions sit, because the middle is usually pasted
 * material. Each domain
 * scores one point per distinct domain cue found; code anywhere in the request adds 2 to
 * `programming`, and an error trace adds 2 more. The highest score wins (ties go to the domain
 * listed first). Within it the task with most task cues wins (an error trace counts 2 for
 * `debugging`), or the domain's default task. A request without domain cues gets
 * `questionFallback` (information-seeking/factual) when it contains a question mark, and
 * `fallback` (other/other) otherwise.
 */
const idSchema = z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, {
  message: "ids are lower-case words joined by hyphens, such as writing-code",
});

const optionsSchema = z.strictObject({
  /** Domains in priority order, each with cues, tasks and a default task. */
  taxonomy: z
    .array(
      z.strictObject({
        domain: idSchema,
        cues: z.array(z.string().min(1)),
        tasks: z.array(z.strictObject({ task: idSchema, cues: z.array(z.string().min(1)) })).min(1),
        defaultTask: idSchema,
      }),
    )
    .min(1)
    .default(() => structuredClone(DEFAULT_TAXONOMY)),
  /** The intent when no cue matches; added to the taxonomy. */
  fallback: z.strictObject({ domain: idSchema, task: idSchema }).default({ ...DEFAULT_FALLBACK }),
  /** The intent of a question without domain cues; null sends questions to `fallback`. */
  questionFallback: z
    .strictObject({ domain: idSchema, task: idSchema })
    .nullable()
    .default({ ...DEFAULT_QUESTION_FALLBACK }),
});
export type KeywordIntentOptions = z.infer<typeof optionsSchema>;

interface CompiledDomain {
  domain: string;
  cues: CueMatcher;
  tasks: { task: string; cues: CueMatcher }[];
  defaultTask: string;
}

const CODE_KEYWORD =
  /(?:^|[\s;{}])(?:def|class|import|function|const|let|var|#include|public|SELECT|return|local)\b/g;
const ERROR_TRACE =
  /traceback \(most recent call last\)|\b[A-Z]\w*(?:Error|Exception)\b:|\bERROR:\s/;

/** Code: a fence, or several code keywords with statement punctuation (pasted code often loses its line breaks). */
function containsCode(text: string): boolean {
  if (text.includes("```")) return true;
  const keywords = text.match(CODE_KEYWORD)?.length ?? 0;
  const punctuation = text.match(/[;{}]/g)?.length ?? 0;
  return keywords >= 3 && punctuation >= 3;
}

/** Extracts the parts of a request where instructions sit: its start and its end. */
function instructionText(request: string): string {
  return request.length <= 600 ? request : `${request.slice(0, 400)}\n${request.slice(-200)}`;
}

/** Picks the request to read the intent from: the first user message of three words or more. */
export function requestText(conversation: PluginConversation): string {
  const messages = userMessages(conversation);
  const substantive = messages.find(
    (text) => text.trim().split(/\s+/).length >= 3 || /[\u4e00-\u9fff]{4}/.test(text),
  );
  return substantive ?? messages.join("\n");
}

function compile(options: KeywordIntentOptions): CompiledDomain[] {
  return options.taxonomy.map((rule) => {
    const taskIds = rule.tasks.map((task) => task.task);
    if (!taskIds.includes(rule.defaultTask)) {
      throw new Error(
        `defaultTask "${rule.defaultTask}" of domain "${rule.domain}" is not one of its tasks (${taskIds.join(", ")}).`,
      );
    }
    return {
      domain: rule.domain,
      cues: createCueMatcher(rule.cues),
      tasks: rule.tasks.map((task) => ({ task: task.task, cues: createCueMatcher(task.cues) })),
      defaultTask: rule.defaultTask,
    };
  });
}

function taxonomyOf(options: KeywordIntentOptions): IntentTaxonomy {
  const taxonomy: Record<string, string[]> = {};
  for (const rule of options.taxonomy) {
    if (Object.hasOwn(taxonomy, rule.domain)) {
      throw new Error(`domain "${rule.domain}" is listed twice in the taxonomy.`);
    }
    taxonomy[rule.domain] = rule.tasks.map((task) => task.task);
  }
  for (const extra of [options.fallback, options.questionFallback]) {
    if (!extra) continue;
    const tasks = taxonomy[extra.domain] ?? [];
    if (!tasks.includes(extra.task)) taxonomy[extra.domain] = [...tasks, extra.task];
  }
  return taxonomy;
}

export function createKeywordIntentClassifier(options: KeywordIntentOptions): IntentClassifier {
  const domains = compile(options);
  const taxonomy = taxonomyOf(options);
  return {
    id: "keyword-intent",
    description: "Domain and task from cue phrases in the first request (English and Chinese).",
    taxonomy,
    classify(conversation): IntentAssignment {
      const request = requestText(conversation);
      const text = instructionText(request);
      const hasCode = containsCode(request);
      const hasError = ERROR_TRACE.test(request);

      let best: { rule: CompiledDomain; score: number; cues: string[] } | null = null;
      for (const rule of domains) {
        const cues = rule.cues.find(text);
        let score = cues.length;
        if (rule.domain === "programming") score += (hasCode ? 2 : 0) + (hasError ? 2 : 0);
        if (score > 0 && (best === null || score > best.score)) best = { rule, score, cues };
      }

      if (best === null) {
        const { questionFallback } = options;
        if (questionFallback && /[?？]/.test(text)) {
          return {
            ...questionFallback,
            confidence: 0.35,
            rationale: "a question without domain cues",
          };
        }
        return { ...options.fallback, confidence: 0.3, rationale: "no domain cue in the request" };
      }

      const { rule, score, cues } = best;
      let task = rule.defaultTask;
      let taskScore = 0;
      for (const candidate of rule.tasks) {
        let found = candidate.cues.find(text).length;
        if (candidate.task === "debugging" && hasError) found += 2;
        if (found > taskScore) {
          task = candidate.task;
          taskScore = found;
        }
      }

      const confidence = Math.min(0.4 + 0.1 * score, 0.9);
      const evidence = [
        ...cues.slice(0, 5),
        ...(hasCode ? ["code"] : []),
        ...(hasError ? ["error trace"] : []),
      ];
      return { domain: rule.domain, task, confidence, rationale: `cues: ${evidence.join(", ")}` };
    },
  };
}

export default definePlugin({
  name: "keyword-intent",
  version: "1.0.0",
  apiVersion: 1,
  description: "Intent classifier with a configurable taxonomy of domains, tasks and cue phrases.",
  optionsSchema,
  setup(context) {
    context.registerIntentClassifier(createKeywordIntentClassifier(context.options));
  },
});
