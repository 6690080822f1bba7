/**
 * The default intent taxonomy with the cues of each domain and task, in English and Chinese.
 * Cues are phrases: Latin-script cues match whole words, Chinese cues match as substrings, and
 * matching ignores case. Domain cues decide the domain; task cues then decide the task within
 * it. Ids are stable because labels store them.
 */

/** One task of a domain and its cues. */
export interface TaskRule {
  task: string;
  cues: string[];
}

/** One domain, its cues, its tasks, and the task used when no task cue matches. */
export interface DomainRule {
  domain: string;
  cues: string[];
  tasks: TaskRule[];
  defaultTask: string;
}

// biome-ignore format: cue lists packed several to a line are easier to scan
export const DEFAULT_TAXONOMY: DomainRule[] = [
  {
    domain: "programming",
    cues: [
      "code", "coding", "programming", "function", "script", "python", "javascript", "java",
      "typescript", "c++", "c#", "rust", "golang", "sql", "html", "css", "reactjs", "react.js",
      "react component", "api", "compile", "compiler", "regex", "database", "json", "github",
      "framework", "query", "vba", "excel formula", "bash", "powershell", "linux", "terminal",
      "android studio", "flutter", "django", "node.js", "debug", "bug", "stack trace", "代码", "编程",
      "程序", "函数", "脚本", "数据库", "算法",
    ],
    tasks: [
      {
        task: "debugging",
        cues: [
          "error", "bug", "fix", "not working", "doesn't work", "does not work", "exception",
          "traceback", "crash", "crashes", "debug", "fails", "failing", "broken", "issue", "报错",
          "错误", "调试", "修复", "异常", "崩溃", "运行不了",
        ],
      },
      {
        task: "explaining-code",
        cues: [
          "explain", "what does", "how does", "what is the difference", "understand", "meaning of",
          "解释", "什么意思", "如何理解", "为什么",
        ],
      },
      {
        task: "writing-code",
        cues: [
          "write", "implement", "create", "generate", "build", "make", "optimize", "convert",
          "rewrite", "refactor", "add", "写", "编写", "实现", "生成", "优化",
        ],
      },
    ],
    defaultTask: "writing-code",
  },
  {
    domain: "creative-writing",
    cues: [
      "story", "poem", "poetry", "haiku", "song", "lyrics", "fiction", "novel", "fanfic",
      "dialogue", "script scenario", "episode", "chapter", "narrator", "roleplay", "role-play",
      "act as", "essay", "letter", "email", "paragraph", "blog", "article", "tweet", "caption",
      "slogan", "social post", "instagram post", "press release", "cover letter", "rewrite",
      "rephrase", "paraphrase", "proofread", "polish", "summarize", "reword", "故事", "诗", "小说", "剧本",
      "作文", "文章", "歌词", "邮件", "写信", "推荐信", "求职信", "润色", "改写", "校对", "精简", "修饰", "总结",
    ],
    tasks: [
      {
        task: "story",
        cues: [
          "story", "fiction", "novel", "chapter", "character", "dialogue", "scene", "episode",
          "fanfic", "plot", "narrator", "roleplay", "role-play", "act as", "script scenario", "故事",
          "小说", "剧本", "情节", "角色",
        ],
      },
      {
        task: "poem",
        cues: [
          "poem", "poetry", "haiku", "sonnet", "limerick", "verse", "rhyme", "song", "lyrics", "诗",
          "诗歌", "歌词", "押韵",
        ],
      },
      {
        task: "editing",
        cues: [
          "rewrite", "rephrase", "paraphrase", "proofread", "polish", "edit", "grammar", "shorten",
          "make it shorter", "reword", "summarize", "improve the writing", "润色", "改写", "修改", "校对",
          "语法", "精简", "修饰", "总结",
        ],
      },
      {
        task: "functional-writing",
        cues: [
          "email", "letter", "cover letter", "essay", "article", "blog", "report", "proposal",
          "paragraph", "description", "social post", "instagram post", "tweet", "caption",
          "press release", "review", "speech", "slogan", "邮件", "写信", "推荐信", "求职信", "作文", "文章", "报告",
          "演讲",
        ],
      },
    ],
    defaultTask: "story",
  },
  {
    domain: "math",
    cues: [
      "math", "equation", "solve", "probability", "integral", "derivative", "algebra", "geometry",
      "trigonometric", "theorem", "matrix", "数学", "方程", "概率", "积分", "导数",
    ],
    tasks: [
      {
        task: "problem-solving",
        cues: ["solve", "calculate", "evaluate", "find the value", "求解", "计算", "解方程"],
      },
    ],
    defaultTask: "problem-solving",
  },
  {
    domain: "language",
    cues: [
      "translate", "translation", "翻译", "vocabulary", "pronunciation", "ielts", "toefl", "雅思",
    ],
    tasks: [
      { task: "translation", cues: ["translate", "translation", "翻译", "译成", "译为"] },
      {
        task: "language-learning",
        cues: [
          "vocabulary", "pronounce", "pronunciation", "ielts", "toefl", "词汇", "发音", "雅思",
        ],
      },
    ],
    defaultTask: "translation",
  },
  {
    domain: "information-seeking",
    cues: [
      "what is", "what are", "who is", "who was", "who were", "when did", "when was", "where is",
      "how many", "how much", "how far", "define", "definition", "history of", "explain", "why",
      "difference between", "should i", "how can i", "how do i", "how to", "recommend", "suggest",
      "tips", "advice", "best way", "tell me about", "是什么", "谁是", "什么时候", "哪里", "多少", "为什么", "怎么办",
      "建议", "推荐", "如何", "怎么",
    ],
    tasks: [
      {
        task: "advice",
        cues: [
          "should i", "how can i", "how do i", "how to", "recommend", "suggest", "tips", "advice",
          "best way", "what should", "help me decide", "is it worth", "which is better", "我应该",
          "怎么办", "建议", "推荐", "如何", "怎么",
        ],
      },
      {
        task: "factual",
        cues: [
          "what is", "what are", "who is", "who was", "who were", "when did", "when was",
          "where is", "how many", "how much", "how far", "define", "definition", "history of",
          "explain", "why", "difference between", "tell me about", "是什么", "谁是", "什么时候", "哪里", "多少",
          "为什么",
        ],
      },
    ],
    defaultTask: "factual",
  },
];

/** The intent when no domain cue matches the request. */
export const DEFAULT_FALLBACK = { domain: "other", task: "other" } as const;

/** The intent of a request with no domain cue but a question mark. */
export const DEFAULT_QUESTION_FALLBACK = {
  domain: "information-seeking",
  task: "factual",
} as const;
