import { createCueMatcher } from "../../src/plugin-api/index.ts";

/**
 * Cue lists of the lexical judge, in English and Chinese, matched on normalized text (lower
 * case, ASCII quotes). They were tuned on the follow-up messages of the WildChat and Chatbot
 * Arena samples, favouring precision. A phrase is listed only when it reads as a verdict on the
 * previous reply, not as part of a new request: "what's wrong with my code" is a request, so
 * the bare word "wrong" is not a cue.
 */

/** Pattern of a clause opening: the start, punctuation, or a discourse word ("ok", "but"). */
const CLAUSE_START =
  "(?:^|[.!?,;:]\\s*|(?:^|\\s)(?:but|and|ok|okay|wait|well|so|now|sorry|hmm|however|yes|no|still|unfortunately|sadly)[,]?\\s+)";

/** The reply or a part of it as the subject of a verdict: "it", "this", "your code". */
const REPLY_SUBJECT =
  "(?:it|this|that|yours?|(?:the|your|this|that)\\s+(?:code|solution|script|command|fix|method|formula|answer|program|query|function|approach|suggestion|version|one|example|link|change|update))";

/**
 * Dissatisfaction: corrections, complaints and failure reports. One match makes
 * the turn DSAT, even next to thanks or praise ("thanks but it still fails").
 */
// biome-ignore format: cue lists packed several to a line are easier to scan
export const DSAT_CUES = createCueMatcher([
  // The reply is wrong or missed the point.
  "that's wrong", "that is wrong", "this is wrong", "it's wrong", "its wrong", "you're wrong",
  "you are wrong", "wrong answer", "all wrong", "is incorrect", "that's incorrect",
  "that is incorrect", "not correct", "not right", "that's not right", "that's not true",
  "that is not true", "not accurate", "inaccurate", "is a lie", "that's a lie", "you lied",
  "not what i asked", "not what i meant", "not what i wanted", "not what i need",
  "not what i'm looking for", "not what i am looking for", "that's not it", "that's not what",
  "this is not what", "you misunderstood", "you misunderstand", "misunderstood me", "i didn't ask",
  "i did not ask", "i never asked", "i never said", "i'm not asking", "i am not asking",
  "i asked for", "i asked you", "i said", "i told you", "i meant", "what i meant", "i mean",
  "you didn't answer", "you did not answer", "didn't answer my", "answer my question",
  "answer the question", "nonsense", "there's a mistake", "there is a mistake",
  "mistake in your", "mistakes in your",
  /(?:you|you've|you have|u)\s+made (?:a |an |some |several |a few )?(?:small |little |slight |big |few )?(?:mistake|error)s?(?![\p{L}\p{N}_])/u,
  /(?:answers?|responses?|code|solution|result|output|calculation|translation|math|it|this|that|yours?)\s+(?:is|are|was|were)\s+(?:still\s+|all\s+|completely\s+|totally\s+|just\s+)?(?:wrong|incorrect|not correct|not right|invalid)(?![\p{L}\p{N}_])/u,
  "you can do better", "can do better than", "could be better", "you forgot", "you missed",
  "you ignored", "you left out", "you failed", "you are missing", "you're missing", "you didn't",
  "you did not", "you haven't", "you have not", "you still",
  /you keep (?:on )?\p{L}+ing(?![\p{L}\p{N}_])/u,
  "you couldn't", "you could not", "you can't even", "why did you", "why didn't you",
  "that doesn't sound right", "doesn't sound right", "does not sound right", "not even close",
  "did it wrong", "wrong again",
  // "It doesn't work" and "that makes no sense", but only about the reply: the subject opens a
  // clause and is the reply or its code, or there is none ("Doesn't work."). In "a game you can
  // tell doesn't work in your favor" or "a story where nothing makes sense" it is neither.
  new RegExp(`${CLAUSE_START}(?:${REPLY_SUBJECT}\\s+)?(?:(?:still|just|really|even|also|actually)\\s+)?(?:doesn't|doesnt|does not|didn't|didnt|did not|won't|wont|isn't|is not|not)\\s+(?:seem to\\s+)?work`, "u"),
  new RegExp(`${CLAUSE_START}(?:${REPLY_SUBJECT}\\s+)?(?:(?:doesn't|doesnt|does not|didn't|did not)\\s+make\\s+(?:any\\s+)?sense|makes\\s+no\\s+sense)`, "u"),
  "still not", "still doesn't", "still doesnt", "still does not", "still didn't", "still did not",
  "still missing", "still getting", "still get", "still got", "still the same", "still wrong",
  "still error", "still have the same", "still has the same", "still fails", "still failing",
  "still broken", "still shows", "still show", "still showing", "still same", "still no",
  "same error", "same problem", "same issue", "same result", "another error", "new error",
  "didn't help", "did not help", "doesn't help", "does not help", "doesnt help", "not helpful",
  "unhelpful", "useless", "i got an error", "i get an error", "i got this error",
  "i get this error", "getting an error", "getting this error", "got an error", "got this error",
  "gives me an error", "gives an error", "gives me this error", "throws an error",
  "throws this error", "error in the new", "it fails", "it failed", "doesn't compile",
  "does not compile", "won't compile", "doesn't run", "does not run", "it crashes", "it crashed",
  "has some bugs", "there is a bug", "there's a bug", "has a bug", "broke my",
  // Complaints about the reply itself.
  "try again", "not funny", "bad answer", "bad response", "thanks for nothing", "yeah right",
  "you are not listening", "you're not listening", "stop repeating", "you repeated",
  // Chinese
  /(?<!对)不对/u,
  /(?<!行)不行(?![吗么])/u,
  "错了", "你错了", "有错误", "不正确", "不准确", "不是这样", "不是这个", "不是我要的", "不是我想要的", "答非所问", "你理解错了", "理解错",
  "没有理解", "没理解", "我说的是", "我问的是", "我的意思是", "还是报错", "还是不行", "还是错", "还是有问题", "还是没有", "还是一样", "依然报错",
  "仍然报错", "又报错", "报错了", "出错了", "运行不了", "跑不通", "无法运行", "没用", "没有用", "胡说", "瞎说", "重新回答", "不满意",
]);

/**
 * Milder dissatisfaction: doubt, confusion, and complaints about length or tone. DSAT too, with
 * lower confidence, because they sometimes introduce a refinement rather than a verdict.
 */
// biome-ignore format: cue lists packed several to a line are easier to scan
export const WEAK_DSAT_CUES = createCueMatcher([
  "are you sure", "not quite", "not exactly", "i mean", "too long", "too short", "too complicated",
  "too generic", "too vague", "too formal", "too wordy", "too much", "i don't get it",
  "i dont get it", "i don't understand your", "i do not understand your", "that's confusing",
  "this is confusing", "this is boring", "that's boring", "太长了", "太复杂", "看不懂", "没听懂", "不是很好", "不太对",
]);

/** A complaint that opens the follow-up ("Terrible.", "Useless", "糟糕"). */
export const OPENING_COMPLAINT =
  /^(?:(?:this|that|it)(?:'s| is| was) )?(?:terrible|awful|horrible|useless|bad|boring|wrong|incorrect|meh|ugh|worse)(?![\p{L}\p{N}_])|^(?:不好|太差|很差|差劲|糟糕)/u;

/** A message that opens with "no" (or "不是") followed by a correction. */
export const OPENING_NO =
  /^(?:no|nope|nah|wrong)(?![\p{L}\p{N}_'])(?![\s,.!]*(?:problem|worries|need|thanks|thank|more|longer|matter|one|doubt|idea|way)\b)|^不是[,，。 ]/u;

/** Satisfaction anywhere near the start of the follow-up: thanks, success, agreement. */
// biome-ignore format: cue lists packed several to a line are easier to scan
export const SAT_CUES = createCueMatcher([
  "thanks", "thank you", "thank u", "thx", "ty", "tysm", "tyvm", "much appreciated",
  "appreciate it", "appreciate that", "appreciate your help",
  // "It works", but not "write a script that works on Windows": the subject opens a clause.
  /(?:^|[.!?,;]\s*|(?:ok|okay|yes|yeah|great|wow|now|thanks|perfect|nice|cool)[,!.]?\s+)(?:it|this|that|everything|the code|your code|the script|the fix)\s+(?:now\s+|finally\s+|really\s+|actually\s+)?(?:works|worked|is working|runs|ran)(?![\p{L}\p{N}_])/u,
  "works now", "worked now", "works perfectly", "works great", "works fine", "worked perfectly",
  "working now", "that helped", "this helped", "very helpful", "really helpful", "so helpful",
  "helped a lot", "makes sense", "got it", "that's what i needed", "just what i needed",
  "exactly what i", "that's exactly", "that's right", "that is right", "that's correct",
  "that is correct", "you're right", "you are right", "good answer", "great answer", "great job",
  "good job", "well done", "nailed it", "this is great", "that's great", "looks good",
  "looks great", "sounds good", "sounds great", "lgtm", "problem solved", "that fixed it",
  "this fixed it", "it's fixed", "it is fixed", "that solved it", "this solved it", "that did it",
  "that did the trick", "insightful", "impressive", "love it", "i love it", "i like it", "not bad",
  "good enough",
  // Chinese
  "谢谢", "感谢", "多谢", "谢啦", "成功了", "解决了", "搞定了", "很有用", "非常有用", "有帮助", "明白了", "懂了", "好用", "可以用了",
  "能用了", "没问题了", "就是这样",
]);

/**
 * Praise that counts only when it opens the follow-up ("Great! now…"), because the same words
 * fill new requests ("write a great story"). "correct" counts only alone ("Correct!"), since
 * "correct the grammar" is a request.
 */
export const OPENING_PRAISE =
  /^(?:(?:oh|wow|very|so|really|that's|that is|this is|it's)[, ]+)?(?:great|perfect|awesome|excellent|amazing|fantastic|wonderful|brilliant|incredible|nice|cool|sweet|superb|bravo|exactly|good(?! (?:morning|afternoon|evening|night|day)))(?![\p{L}\p{N}_])|^correct(?:[.!]|$)|^(?:太好了|完美|很好|非常好|不错|好棒|真棒|厉害|没错)/u;

/** A neutral continuation: a short follow-up asking for more of the same. */
export const CONTINUATION =
  /^(?:please )?(?:continue|go on|keep going|more|next|proceed|carry on|and then|comtinue|contine)(?![\p{L}\p{N}_])|^(?:请)?(?:继续|接着|下一个|然后呢)/u;

/** Negations that cancel a cue right after them: "not helpful", "never worked", "不完美". */
export const NEGATION_BEFORE =
  /(?:\bnot|\bnever|\bno|n't|\bhardly)\s+(?:\S+\s+){0,2}$|(?:不|没)\S{0,2}$/u;

/**
 * A follow-up that opens with a new request ("Write a story where…", "Now one where…"). Its
 * words describe the new content, so cues inside it are not read; only a repeat of the
 * previous request counts. Verbs that usually redo the last reply (rewrite, fix, try) are left
 * out on purpose.
 */
export const NEW_REQUEST_OPENING =
  /^(?:(?:now|and|also|next|ok|okay|then|please)[,!.]?\s+)*(?:write|make|create|generate|describe|compose|draft|imagine|give me|list|tell me|produce|design|plan|one where|another one where|what if|how about|写|生成|给我|告诉我|列出|描述)(?![\p{L}\p{N}_])/u;

/** An error message pasted as the whole opening of a follow-up. */
export const ERROR_OPENING =
  /^(?:traceback \(most recent call last\)|[\w.$]*(?:error|exception)\b|uncaught |fatal:|error:|exception in thread|segmentation fault|\w+ is not defined|报错|错误[:：])/u;
