import type { ExplanationItem } from "../../prompts/index.ts";
import {
  type MinibatchPlan,
  type MinibatchPlanOptions,
  pairAt,
  pairCount,
  planMinibatches,
} from "../minibatch-plan.ts";
import type { PriorityPool } from "../priority-pool.ts";
import { type Generator, type LlmRubricResult, RubricChain } from "../rubric-chain.ts";

/** One member of a side: a conversation, and the most explanations it can yield. */
export interface SideMember {
  key: number;
  /** Ratable turns: an upper bound on its explanations, known before the review. */
  capacity: number;
}

/** One comparison to extract: two sides of conversations, in the order their items are cut. */
export interface ChainSpec<Meta> {
  meta: Meta;
  intent: { domain: string; task: string };
  /** Side names as the prompt shows them. */
  names: readonly [string, string];
  sides: readonly [readonly SideMember[], readonly SideMember[]];
}

/** A finished comparison. */
export interface FinishedChain<Meta> {
  spec: ChainSpec<Meta>;
  plan: MinibatchPlan;
  result: LlmRubricResult;
  /** Every explanation of each side, in order; the evidence ids refer to them. */
  items: { a: ExplanationItem[]; b: ExplanationItem[] };
}

export interface RubricChainsOptions extends MinibatchPlanOptions {
  threshold: number;
}

/**
 * Expected share of ratable turns that get an explanation (SAT or DSAT), used only to rank
 * reviews; it matches the default of `estimateLlmWorkload`.
 */
const EXPECTED_RATED_SHARE = 0.6;

interface SideState {
  members: readonly SideMember[];
  /** Members delivered without a gap from the start: their items are final. */
  prefix: number;
  items: ExplanationItem[];
}

interface ChainState<Meta> {
  spec: ChainSpec<Meta>;
  plan: MinibatchPlan;
  chain: RubricChain;
  sides: [SideState, SideState];
  next: number;
  running: boolean;
  finished: boolean;
}

/**
 * Runs many comparisons of the LLM rubric method at once, each as soon as its next minibatch
 * pair is final, while the explanations are still arriving (`deliver`). A minibatch is final
 * once every conversation before its last item, in side order, has been reviewed. So the
 * batches do not depend on the order in which reviews finish, and they equal those of
 * `extractRubricWithLlm` given the same items and plan.
 *
 * Steps go through the shared pool with the chain's remaining planned pairs as priority, so the
 * longest chains advance first. `priorityOf` ranks the reviews feeding a chain the same way.
 */
export class RubricChains<Meta> {
  private readonly chains: ChainState<Meta>[] = [];
  private readonly byMember = new Map<number, ChainState<Meta>[]>();
  private readonly delivered = new Map<number, ExplanationItem[]>();
  private readonly memberPriority = new Map<number, number>();
  private stopped = false;
  private stepsDone = 0;

  constructor(
    private readonly client: Generator,
    private readonly pool: PriorityPool,
    private readonly options: RubricChainsOptions,
    private readonly events: {
      /** Starts tracking a promise, so the caller can wait for all work to settle. */
      track(work: Promise<unknown>): void;
      finished(chain: FinishedChain<Meta>): Promise<void>;
      stepped(): Promise<void>;
    },
  ) {}

  /** Plans a comparison and starts any pair whose minibatches are already final. */
  add(spec: ChainSpec<Meta>): void {
    const capacity = (side: readonly SideMember[]) =>
      side.reduce((sum, member) => sum + member.capacity, 0);
    const plan = planMinibatches(capacity(spec.sides[0]), capacity(spec.sides[1]), this.options);
    const state: ChainState<Meta> = {
      spec,
      plan,
      chain: new RubricChain(this.client, { intent: spec.intent, groups: spec.names }),
      sides: [
        { members: spec.sides[0], prefix: 0, items: [] },
        { members: spec.sides[1], prefix: 0, items: [] },
      ],
      next: 0,
      running: false,
      finished: false,
    };
    this.chains.push(state);
    this.rankMembers(state);
    for (const side of spec.sides) {
      for (const member of side) {
        const list = this.byMember.get(member.key) ?? [];
        list.push(state);
        this.byMember.set(member.key, list);
      }
    }
    for (const side of state.sides) this.advancePrefix(side);
    this.advance(state);
  }

  /** Records the explanations of a reviewed conversation: none for NA-only or failed reviews. */
  deliver(key: number, items: readonly ExplanationItem[]): void {
    this.delivered.set(key, [...items]);
    for (const state of this.byMember.get(key) ?? []) {
      for (const side of state.sides) this.advancePrefix(side);
      this.advance(state);
    }
  }

  /** Rank of a review: the planned pairs from the first one it feeds to the end of its longest chain. */
  priorityOf(key: number): number {
    return this.memberPriority.get(key) ?? 0;
  }

  /** Pairs done so far and planned in all, for progress. */
  progress(): { done: number; total: number } {
    const planned = this.chains.reduce(
      (sum, state) =>
        sum + (state.finished ? state.chain.done : Math.max(state.plan.pairs, state.next)),
      0,
    );
    return { done: this.stepsDone, total: Math.max(planned, this.stepsDone) };
  }

  /** Stops starting steps; steps in flight finish. */
  stop(): void {
    this.stopped = true;
  }

  private advancePrefix(side: SideState): void {
    while (side.prefix < side.members.length) {
      const items = this.delivered.get(side.members[side.prefix]!.key);
      if (!items) break;
      side.items.push(...items);
      side.prefix += 1;
    }
  }

  /** Starts the chain's next pair when its minibatches are final, or finishes the chain. */
  private advance(state: ChainState<Meta>): void {
    if (state.running || state.finished || this.stopped) return;
    const pair = this.nextPair(state);
    if (pair === "wait") return;
    if (pair === "done") {
      state.finished = true;
      const result = state.chain.result(this.options.threshold, state.chain.done);
      const [a, b] = state.sides;
      this.events.track(
        this.events.finished({
          spec: state.spec,
          plan: state.plan,
          result,
          items: { a: a.items, b: b.items },
        }),
      );
      return;
    }

    state.running = true;
    const size = state.plan.minibatchSize;
    const batch = (side: SideState, index: number) =>
      side.items.slice(index * size, (index + 1) * size);
    const [indexA, indexB] = pair;
    const priority = Math.max(1, state.plan.pairs - state.next);
    const step = this.pool
      .run(priority, () =>
        state.chain.step(batch(state.sides[0], indexA), batch(state.sides[1], indexB), {
          a: indexA,
          b: indexB,
        }),
      )
      .then(async () => {
        state.running = false;
        state.next += 1;
        this.stepsDone += 1;
        await this.events.stepped();
        this.advance(state);
      });
    this.events.track(step);
  }

  private nextPair(state: ChainState<Meta>): [number, number] | "wait" | "done" {
    const size = state.plan.minibatchSize;
    const [a, b] = state.sides;
    const complete = (side: SideState) => side.prefix === side.members.length;
    // Batches whose items can no longer change: all of them once the side is complete.
    const count = (side: SideState) => Math.ceil(side.items.length / size);
    const finalCount = (side: SideState) =>
      complete(side) ? count(side) : Math.floor(side.items.length / size);
    const k = state.next;
    if (complete(a) && complete(b)) {
      if (k >= pairCount(count(a), count(b), state.plan.pairing)) return "done";
      return pairAt(k, count(a), count(b), state.plan.pairing);
    }
    // A side that ended empty leaves no pair to run. The chain still waits for the other side,
    // so that the stored explanation counts are complete.
    if ((complete(a) && count(a) === 0) || (complete(b) && count(b) === 0)) return "wait";
    if (state.plan.pairing === "all") {
      // Pair k's place in the order needs group B's batch count, known once B is complete.
      if (!complete(b)) return "wait";
      const indexA = Math.floor(k / count(b));
      return indexA < finalCount(a) ? [indexA, k % count(b)] : "wait";
    }
    // Zip: while a side is incomplete, batch k must exist there, so no cycling is needed yet.
    const indexA = complete(a) ? k % count(a) : k;
    const indexB = complete(b) ? k % count(b) : k;
    return indexA < finalCount(a) && indexB < finalCount(b) ? [indexA, indexB] : "wait";
  }

  /**
   * Ranks each member by the planned pairs from the first pair its items can reach to the end.
   * Early members of a side rank highest, and so does every member of a side that is cycled or
   * needed whole. The reviews that unblock the long chains therefore run first.
   */
  private rankMembers(state: ChainState<Meta>): void {
    const { minibatchSize: size, pairing, pairs } = state.plan;
    const expectedBatches = (side: readonly SideMember[]) =>
      Math.max(
        1,
        Math.ceil(
          (side.reduce((sum, member) => sum + member.capacity, 0) * EXPECTED_RATED_SHARE) / size,
        ),
      );
    state.spec.sides.forEach((side, sideIndex) => {
      let offset = 0;
      for (const member of side) {
        const batch = Math.floor(offset / size);
        offset += member.capacity * EXPECTED_RATED_SHARE;
        let firstPair = batch;
        if (pairing === "all")
          firstPair = sideIndex === 0 ? batch * expectedBatches(state.spec.sides[1]) : 0;
        const rank = Math.max(1, pairs - firstPair + 1);
        this.memberPriority.set(member.key, Math.max(this.priorityOf(member.key), rank));
      }
    });
  }
}
