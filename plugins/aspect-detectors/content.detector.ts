import type { AspectDetector } from "../../src/plugin-api/index.ts";
import { type AspectRule, detectorFromRules } from "./aspect-rule.ts";

const EXAMPLE_CUE_EN =
  /\b(?:for (?:example|instance)|e\.g\.|such as|as an example|here(?:'s|’s| is| are) (?:an? |some )?(?:examples?|sample)|example\s*\d*\s*:)/i;
const EXAMPLE_CUE_ZH = /例如|比如|譬如|举例|举个例子|示例|例子[:：]/;

const ANALOGY_CUE_EN =
  /\b(?:(?:is|are|it's|it’s|that's|that’s) (?:just |a bit |kind of |much )?like (?:a|an|the|when|having|trying)|think of (?:it|this|that|them|[a-z]+s?) (?:as|like)|imagine (?:a|an|that|you|if)|analog(?:y|ous)|similar to how|just as (?:a|an|the|you)|much like (?:a|an|the)|metaphor)\b/i;
const ANALOGY_CUE_ZH = /就像|好比|打个比方|打比方|比喻|想象一下|如同|犹如|类似于/;

const URL = /\bhttps?:\/\/[^\s)>\]]+|\bwww\.[a-z0-9-]+\.[a-z]{2,}/i;
const MARKDOWN_LINK = /\[[^\]\n]+\]\([^)\s]+\)/;
/** A numbered citation such as `[1]`, but not a list index inside code. */
const CITATION_MARK = /\[\d{1,3}\]/;
const REFERENCE_CUE_EN =
  /\b(?:according to|sources?:|references?:|see (?:the )?(?:official )?(?:documentation|docs)|(?:official|the) documentation (?:at|for|on)|(?:published|reported) (?:in|by)|cited in)\b/i;
const REFERENCE_CUE_ZH =
  /参考(?:资料|文献|链接)?[:：]|来源[:：]|根据.{0,12}(?:报告|研究|文档|数据|官网)|官方文档|详见/;

const VERIFY_CUE_EN =
  /\b(?:(?:make sure|be sure|remember|don't forget|don’t forget) to (?:test|check|verify|validate|double-check|back up)|double[- ]check|verify (?:that|the|your|it|this|whether)|validate (?:the|your|that)|test (?:it|this|that|the|your|them|thoroughly|before)|(?:run|write|add) (?:some )?(?:unit )?tests|(?:consult|check with|talk to|speak (?:to|with)) (?:a|an|your) (?:doctor|physician|professional|expert|lawyer|attorney|accountant|pharmacist|specialist))/i;
const VERIFY_CUE_ZH =
  /测试一下|进行测试|单元测试|(?:检查|验证|确认|核实)一下|请(?:务必|先)?(?:检查|验证|确认|核实)|务必(?:检查|验证|确认|核实|测试)|咨询(?:专业|医生|律师|专家)/;

const rules: AspectRule[] = [
  {
    name: "concrete-examples",
    description:
      "The reply introduces concrete examples (for example, for instance, such as, e.g., 例如, 比如, 举个例子).",
    phrase: "gave concrete examples",
    test: (reply) => EXAMPLE_CUE_EN.test(reply.prose) || EXAMPLE_CUE_ZH.test(reply.prose),
  },
  {
    name: "analogy",
    description:
      "The reply explains by analogy (it's like a…, think of it as, imagine a…, 就像, 好比, 打个比方).",
    phrase: "used an analogy",
    test: (reply) => ANALOGY_CUE_EN.test(reply.prose) || ANALOGY_CUE_ZH.test(reply.prose),
  },
  {
    name: "links-or-references",
    description:
      "The reply points to sources: a URL, a Markdown link, a numbered citation, or a reference cue (according to, see the documentation, 参考资料, 来源).",
    phrase: "cited links or references",
    test: (reply) =>
      URL.test(reply.prose) ||
      MARKDOWN_LINK.test(reply.prose) ||
      CITATION_MARK.test(reply.prose) ||
      REFERENCE_CUE_EN.test(reply.prose) ||
      REFERENCE_CUE_ZH.test(reply.prose),
  },
  {
    name: "verify-advice",
    description:
      "The reply advises the user to test or verify (test it, double-check, make sure to verify, consult a doctor; 测试一下, 请检查, 核实).",
    phrase: "advised testing or verifying",
    test: (reply) => VERIFY_CUE_EN.test(reply.prose) || VERIFY_CUE_ZH.test(reply.prose),
  },
];

/** Content beyond the answer itself: examples, analogies, sources, advice to verify. */
export const contentDetector: AspectDetector = detectorFromRules("reply-content", rules);
