// Writes examples/demo-conversations.jsonl: a small, synthetic conversation log that the team
// wrote for `tailor demo`. It is not real user data. In the debugging intent, satisfaction
// depends on reply style differently for US users (numbered steps) and everyone else (short
// replies); elsewhere satisfaction is unrelated to style. Run: npx tsx scripts/make-demo-data.ts
import { writeFile } from "node:fs/promises";

const CONVERSATIONS = 1600;
const SEED = 20261204;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const COUNTRIES = [
  ["United States", 0.45],
  ["India", 0.15],
  ["China", 0.12],
  ["United Kingdom", 0.1],
  ["Germany", 0.1],
  ["Brazil", 0.08],
] as const;

function pickCountry(): string {
  let roll = random();
  for (const [country, share] of COUNTRIES) {
    roll -= share;
    if (roll <= 0) return country;
  }
  return COUNTRIES[0][0];
}

const BUGS = [
  [
    "Python",
    "TypeError: 'NoneType' object is not subscriptable",
    "my script crashes when it reads the config file",
  ],
  [
    "JavaScript",
    "TypeError: Cannot read properties of undefined (reading 'map')",
    "my React component fails on first render",
  ],
  [
    "Java",
    "java.lang.NullPointerException at Main.java:42",
    "the service throws when the user has no address",
  ],
  [
    "Go",
    "panic: runtime error: index out of range [3] with length 3",
    "the parser panics on short input",
  ],
  [
    "SQL",
    'ERROR: column "total" must appear in the GROUP BY clause',
    "my monthly report query fails",
  ],
  [
    "Rust",
    "error[E0502]: cannot borrow `items` as mutable because it is also borrowed as immutable",
    "my loop does not compile",
  ],
  ["C++", "Segmentation fault (core dumped)", "the program crashes after the second iteration"],
  ["Bash", "line 12: syntax error near unexpected token `fi'", "my deploy script stopped working"],
];

const STEP_FIXES = [
  "Find where the value is first assigned.",
  "Add a guard for the empty case before the value is used.",
  "Print the value just before the failing line.",
  "Move the lookup into a helper that returns a default.",
  "Handle the missing case where the data enters the program.",
];

// Extra sentences added at random, independently of the planted aspects, so that the demo's
// other aspects vary on their own instead of moving with reply length.
const EXAMPLE_SENTENCE = " For example, an empty config file gives exactly this error.";
const VERIFY_SENTENCE = "\n\nMake sure to test it with an empty file afterwards.";

function debuggingReply(language: string, numbered: boolean, short: boolean): string {
  const opening = `This error means the ${language} code uses a value that is missing at that point.`;
  const steps = short ? STEP_FIXES.slice(0, 2) : STEP_FIXES;
  const body = numbered
    ? steps.map((step, index) => `${index + 1}. ${step}`).join("\n")
    : steps.join(" ");
  const detail = short
    ? ""
    : `\n\nIn more detail: the runtime reports the failure at the first place the value is read, which is often far from where it went missing. Trace the value back through the callers, look at every branch that can skip the assignment, and make the missing case explicit. Once the guard is in place, the error turns into a clear message or a sensible default. If the value comes from outside the program, like a file, a request or a database row, check it at the boundary so that the rest of the code can rely on it.`;
  const example = random() < 0.5 ? EXAMPLE_SENTENCE : "";
  const verify = random() < 0.5 ? VERIFY_SENTENCE : "";
  return `${opening}${example}\n\n${body}${detail}${verify}`;
}

const POEM_TOPICS = [
  "the sea at night",
  "a city waking up",
  "autumn leaves",
  "an old library",
  "the first snow",
];
const FACT_TOPICS = [
  [
    "How far is the Moon from the Earth?",
    "The Moon is about 384,400 km from the Earth on average.",
  ],
  [
    "Why is the sky blue?",
    "Air scatters short blue wavelengths of sunlight more than long red ones.",
  ],
  ["What is the capital of Australia?", "The capital of Australia is Canberra."],
  ["How many bones are in the human body?", "An adult human body has 206 bones."],
  ["What causes tides?", "Tides come mainly from the Moon's gravity pulling on the oceans."],
];

const SAT_FOLLOW_UPS = [
  "Thanks, that worked!",
  "Perfect, thank you so much.",
  "Great, it works now. Thanks!",
  "That fixed it, thanks a lot.",
];
const DSAT_FOLLOW_UPS = [
  "That didn't help, it still fails.",
  "This is not what I asked for. Still getting the same error.",
  "No, that's wrong. It still doesn't work.",
  "Still not working.",
];
const NEUTRAL_SAT = [
  "Thank you, that's lovely.",
  "Thanks, that's exactly what I needed.",
  "Great answer, thanks!",
];
const NEUTRAL_DSAT = [
  "That's not what I asked for.",
  "No, that's wrong.",
  "This doesn't answer my question.",
];

function satisfied(country: string, intent: string, numbered: boolean, short: boolean): boolean {
  if (intent !== "debugging") return random() < 0.6;
  if (country === "United States") return random() < (numbered ? 0.8 : 0.35);
  return random() < (short ? 0.8 : 0.35);
}

const lines: string[] = [];
for (let index = 0; index < CONVERSATIONS; index++) {
  const country = pickCountry();
  const intent = pick(["debugging", "debugging", "poem", "facts"] as const);
  const numbered = random() < 0.5;
  const short = random() < 0.5;
  const messages: { role: string; content: string }[] = [];
  if (intent === "debugging") {
    const [language, error, symptom] = pick(BUGS) as [string, string, string];
    const sentence = `${symptom[0]!.toUpperCase()}${symptom.slice(1)}`;
    messages.push({
      role: "user",
      content: `I get this error in ${language}: ${error}. ${sentence}. How do I fix this bug?`,
    });
    messages.push({ role: "assistant", content: debuggingReply(language!, numbered, short) });
  } else if (intent === "poem") {
    const topic = pick(POEM_TOPICS);
    messages.push({ role: "user", content: `Write a short poem about ${topic}.` });
    messages.push({
      role: "assistant",
      content: `Here is a poem about ${topic}:\n\nQuiet light on ${topic},\nslow words that drift and stay,\na line for every breath of it,\nand then it fades away.`,
    });
  } else {
    const [question, answer] = pick(FACT_TOPICS);
    messages.push({ role: "user", content: question! });
    messages.push({ role: "assistant", content: answer! });
  }
  const happy = satisfied(country, intent, numbered, short);
  const followUps =
    intent === "debugging"
      ? happy
        ? SAT_FOLLOW_UPS
        : DSAT_FOLLOW_UPS
      : happy
        ? NEUTRAL_SAT
        : NEUTRAL_DSAT;
  messages.push({ role: "user", content: pick(followUps) });
  lines.push(
    JSON.stringify({
      id: `demo-${index + 1}`,
      messages,
      metadata: { country, language: "English", source: "tailor demo (synthetic)" },
    }),
  );
}

await writeFile(
  new URL("../examples/demo-conversations.jsonl", import.meta.url),
  `${lines.join("\n")}\n`,
);
process.stdout.write(`wrote ${lines.length} conversations\n`);
