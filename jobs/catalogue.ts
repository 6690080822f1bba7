import type { JobDefinition } from "./types.ts";

/** Every job kind this build knows, by name. */
export class JobCatalogue {
  private readonly definitions = new Map<string, JobDefinition>();

  constructor(definitions: readonly JobDefinition[]) {
    for (const definition of definitions) {
      if (this.definitions.has(definition.kind)) {
        throw new Error(`Job kind ${JSON.stringify(definition.kind)} is defined twice.`);
      }
      this.definitions.set(definition.kind, definition);
    }
  }

  find(kind: string): JobDefinition | undefined {
    return this.definitions.get(kind);
  }

  get(kind: string): JobDefinition {
    const definition = this.definitions.get(kind);
    if (!definition) {
      const known = [...this.definitions.keys()].join(", ");
      throw new Error(`Unknown job kind ${JSON.stringify(kind)}; known kinds: ${known}.`);
    }
    return definition;
  }

  kinds(): string[] {
    return [...this.definitions.keys()];
  }
}
