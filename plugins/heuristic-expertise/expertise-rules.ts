import { createCueMatcher } from "../../src/plugin-api/index.ts";

/**
 * The evidence the heuristic expertise classifier scores, read from the user's own messages
 * (never the assistant's). Each rule adds points to the expert score or to the novice score;
 * `classifyExpertise` turns the two scores into a group. The same rules are listed in
 * docs/plugins.md.
 */

/**
 * Domain vocabulary that a layperson rarely uses unprompted: programming, data, machine
 * learning, statistics, medicine, law and finance, in English and Chinese. One point per
 * distinct term, at most `MAX_TERM_POINTS`. Everyday technical words (code, app, website,
 * computer, Python) are left out on purpose: novices use them too.
 */
// biome-ignore format: cue lists packed several to a line are easier to scan
export const ADVANCED_TERMS = createCueMatcher([
  // Programming and systems
  "race condition", "deadlock", "mutex", "semaphore", "thread-safe", "concurrency", "asynchronous",
  "async/await", "coroutine", "memory leak", "garbage collection", "pointer", "dereference",
  "segfault", "time complexity", "space complexity", "big-o", "recursion", "dynamic programming",
  "hash map", "hashmap", "linked list", "binary tree", "regex", "regular expression", "endpoint",
  "rest api", "graphql", "orm", "subquery", "foreign key", "primary key", "unique constraint",
  "idempotent", "microservice", "kubernetes", "docker", "ci/cd", "refactor", "dependency injection",
  "design pattern", "polymorphism", "callback", "event loop", "compiler", "bytecode", "kernel",
  "syscall", "latency", "throughput", "load balancer", "sharding", "replication", "serialization",
  "deserialization", "stack trace", "namespace", "generics", "type inference", "dependency",
  "runtime", "virtual environment", "environment variable", "middleware", "struct", "enum",
  "typedef", "lambda", "iterator", "immutable", "mutable", "heap allocation", "stdout", "stderr",
  "linker", "makefile", "websocket", "tcp", "udp", "dns", "tls", "ssh", "oauth", "jwt", "cors",
  "sql injection", "cron", "webpack", "shader", "brdf", "albedo", "usestate", "useeffect",
  "state management", "ipc", "tensor", "cuda", "quantization",
  // Data, machine learning, statistics, mathematics
  "gradient descent", "backpropagation", "overfitting", "regularization", "hyperparameter",
  "learning rate", "loss function", "embedding", "fine-tune", "fine-tuning", "eigenvalue",
  "eigenvector", "p-value", "pvalue", "t-test", "heteroskedasticity", "confidence interval",
  "standard error", "statistically significant", "stochastic", "bayesian", "regression",
  "covariance", "bijective", "injective", "derivative", "integral",
  // Medicine, law, finance
  "differential diagnosis", "contraindication", "pharmacokinetics", "etiology", "jurisdiction",
  "tort", "amortization", "ebitda", "hedging", "liquidity",
  // Chinese
  "并发", "死锁", "线程", "进程", "内存泄漏", "指针", "递归", "时间复杂度", "空间复杂度", "哈希", "正则表达式", "接口", "数据库", "索引",
  "事务", "主键", "外键", "异步", "回调", "闭包", "编译器", "内核", "容器", "微服务", "负载均衡", "梯度下降", "反向传播", "过拟合",
  "正则化", "超参数", "学习率", "损失函数", "特征值", "协方差", "显著性", "重构", "寄存器",
]);
export const MAX_TERM_POINTS = 4;

/** A beginner's self-description or request for a plain explanation: 3 novice points. */
// biome-ignore format: cue lists packed several to a line are easier to scan
export const NOVICE_SELF_DESCRIPTION = createCueMatcher([
  "i'm a beginner", "i am a beginner", "i'm new to", "i am new to", "im new to", "newbie", "noob",
  "complete beginner", "total beginner", "i don't know much about", "i dont know much about",
  "i know nothing about", "no experience", "not very technical", "i'm not technical",
  "i am not technical", "not a programmer", "for dummies", "explain like i'm 5",
  "explain like im 5", "eli5", "in simple terms", "in layman's terms", "layman", "我是新手", "新手", "小白",
  "初学者", "零基础", "刚开始学", "刚入门", "不太懂", "完全不懂", "通俗易懂", "通俗",
]);
export const NOVICE_SELF_POINTS = 3;

/** The user describes professional experience: 3 expert points. */
// biome-ignore format: cue lists packed several to a line are easier to scan
export const EXPERT_SELF_DESCRIPTION = createCueMatcher([
  "i'm a developer", "i am a developer", "i'm a software engineer", "i am a software engineer",
  "i'm a senior", "i am a senior", "as a developer", "as an engineer", "years of experience",
  "in production", "our codebase", "our production", "i'm a data scientist",
  "i am a data scientist", "i'm a doctor", "i am a doctor", "i'm a physician", "i'm a lawyer",
  "我是程序员", "我是开发", "我是工程师", "工作多年", "多年经验", "生产环境",
]);
export const EXPERT_SELF_POINTS = 3;

/** Code in the message: a fence, or three lines that look like code. 2 expert points. */
export const CODE_POINTS = 2;
const CODE_LINE =
  /^\s*(?:(?:def|class|import|from|function|const|let|var|public|private|protected|return|package|#include|using|SELECT|UPDATE|INSERT|CREATE|local|fn|func)\b.*|.*[;{}]\s*)$/;

export function hasCode(text: string): boolean {
  if (text.includes("```")) return true;
  const codeLines = text.split("\n").filter((line) => CODE_LINE.test(line)).length;
  if (codeLines >= 3) return true;
  // Code pasted without line breaks (common in WildChat) still shows several statements.
  const statements = text.match(/[;{}]\s/g)?.length ?? 0;
  return (
    statements >= 4 && /\b(?:function|def|class|import|const|return|SELECT|local)\b/.test(text)
  );
}

/**
 * Removes fenced code blocks and code-like lines, so that identifiers inside pasted code
 * (`useState`, `stdout`) do not count as the user's own vocabulary.
 */
export function proseOf(text: string): string {
  return text
    .replace(/```[\s\S]*?(?:```|$)/g, " ")
    .split("\n")
    .filter((line) => !CODE_LINE.test(line))
    .join("\n");
}

/** An error message or stack trace pasted by the user: 1 expert point (novices paste them too). */
export const ERROR_TRACE_POINTS = 1;
const ERROR_TRACE =
  /traceback \(most recent call last\)|\b[A-Z]\w*(?:Error|Exception)\b:|\bat [\w$.<>]+\s?\([^)]*:\d+(?::\d+)?\)|segmentation fault|\bexit code \d+|\bERROR:\s|报错信息|错误信息/;

export function hasErrorTrace(text: string): boolean {
  return ERROR_TRACE.test(text);
}

/**
 * Specific details: version numbers, file names with a source extension, shell commands and
 * command-line flags. One point per kind found, at most 2.
 */
export const MAX_SPECIFICITY_POINTS = 2;
const SPECIFICITY: readonly RegExp[] = [
  // Versions: three-part numbers, or a version after a well-known tool name.
  /(?<![\d.])v?\d+\.\d+\.\d+(?![\d.])|\b(?:python|node|java|php|ruby|rust|react|angular|vue|django|flask|spring|unity|ubuntu|debian|windows|ios|android|cuda|gcc|tensorflow|pytorch|torch|numpy|pandas|minecraft|mysql|postgres(?:ql)?|\.net)\s?v?\d+(?:\.\d+)?\b/i,
  /\b[\w-]+\.(?:py|js|ts|tsx|jsx|java|cpp|cc|h|hpp|cs|go|rs|rb|php|sql|json|ya?ml|toml|sh|lua|vba)\b/i,
  /(?:^|[\s$>])(?:pip3?|npm|npx|yarn|git|docker|kubectl|cargo|apt(?:-get)?|brew|cmake|gcc|g\+\+)\s+[a-z][\w-]*/m,
  /(?:^|\s)--[a-z][\w-]+/,
];

export function specificityKinds(text: string): number {
  return SPECIFICITY.filter((pattern) => pattern.test(text)).length;
}
