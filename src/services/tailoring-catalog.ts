import type { Selectable } from "kysely";
import { sql } from "kysely";
import type { App } from "../app.ts";
import type { GroupingsTable, RubricAspectsTable, RubricsTable } from "../db/tables.ts";
import type { HostedGroupClassifier } from "../plugin-host/plugin-host.ts";

type GroupingRow = Selectable<GroupingsTable>;
type RubricRow = Selectable<RubricsTable>;
type AspectRow = Selectable<RubricAspectsTable>;

/** Everything a tailoring plan reads: groupings with their classifiers, active rubrics and kept aspects. */
export interface CatalogSnapshot {
  groupings: Map<string, { row: GroupingRow; classifier: HostedGroupClassifier }>;
  /** Grouping names, the one with the newest active rubric first. */
  groupingsByRecency: string[];
  /** Active rubrics by `groupingId|domain|task`, newest first. */
  activeRubrics: Map<string, RubricRow[]>;
  /** Kept aspects by rubric id, most significant first. */
  keptAspects: Map<string, AspectRow[]>;
}

const catalogs = new WeakMap<App, TailoringCatalog>();

/** How long a checked copy is trusted before the change stamp is read again, in ms. */
const STAMP_CHECK_INTERVAL_MS = 1000;

/** Bumped by writers in this process (rubric versions, groupings), so readers here see them at once. */
let localChanges = 0;

/** Tells the catalogs of this process that groupings or rubrics changed. */
export function noteCatalogChange(): void {
  localChanges += 1;
}

/** Returns the app's catalog, creating it on first use. */
export function tailoringCatalog(app: App): TailoringCatalog {
  let catalog = catalogs.get(app);
  if (!catalog) {
    catalog = new TailoringCatalog(app);
    catalogs.set(app, catalog);
  }
  return catalog;
}

/**
 * An in-memory copy of what tailoring plans read, so a live request usually makes no query.
 * Changes made in this process (`noteCatalogChange`) rebuild it at once. Changes made by other
 * processes (a BullMQ worker storing a rubric) move a change stamp: the newest rubric and
 * grouping timestamps and row counts. The stamp is read at most once per second, so another
 * instance's new rubric is used within about a second.
 */
export class TailoringCatalog {
  private snapshot: CatalogSnapshot | undefined;
  private stamp = "";
  private loading: Promise<CatalogSnapshot> | undefined;
  private checkedAt = 0;
  private seenLocalChanges = -1;

  constructor(private readonly app: App) {}

  async current(): Promise<CatalogSnapshot> {
    const fresh = Date.now() - this.checkedAt < STAMP_CHECK_INTERVAL_MS;
    if (this.snapshot && fresh && this.seenLocalChanges === localChanges) return this.snapshot;
    const changes = localChanges;
    const stamp = await this.readStamp();
    this.checkedAt = Date.now();
    if (this.snapshot && stamp === this.stamp && changes === this.seenLocalChanges)
      return this.snapshot;
    if (!this.loading) {
      this.loading = this.load()
        .then((snapshot) => {
          this.snapshot = snapshot;
          this.stamp = stamp;
          this.seenLocalChanges = changes;
          return snapshot;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  private async readStamp(): Promise<string> {
    const result = await sql<{ stamp: string }>`
      select concat_ws('|',
        (select max(created_at)::text from rubrics), (select count(*) from rubrics),
        (select max(updated_at)::text from groupings), (select count(*) from groupings)) as stamp
    `.execute(this.app.database.db);
    return result.rows[0]?.stamp ?? "";
  }

  private async load(): Promise<CatalogSnapshot> {
    const { db } = this.app.database;
    const groupingRows = await db.selectFrom("groupings").selectAll().orderBy("name").execute();
    const rubrics = await db
      .selectFrom("rubrics")
      .selectAll()
      .where("active", "=", true)
      .orderBy("created_at", "desc")
      .execute();
    const aspects =
      rubrics.length === 0
        ? []
        : await db
            .selectFrom("rubric_aspects")
            .selectAll()
            .where("kept", "=", true)
            .where(
              "rubric_id",
              "in",
              rubrics.map((rubric) => rubric.id),
            )
            .orderBy("significance", "desc")
            .orderBy("aspect")
            .execute();

    const groupings = new Map<string, { row: GroupingRow; classifier: HostedGroupClassifier }>();
    for (const row of groupingRows) {
      try {
        groupings.set(row.name, {
          row,
          classifier: this.app.plugins.createGroupClassifier(row.classifier, row.options),
        });
      } catch (error) {
        // A grouping whose classifier plugin is no longer loaded cannot classify; it is left out.
        this.app.logger.warn(
          { err: error, grouping: row.name },
          "grouping skipped: its classifier cannot be built",
        );
      }
    }
    const activeRubrics = new Map<string, RubricRow[]>();
    for (const rubric of rubrics) {
      const key = `${rubric.grouping_id}|${rubric.domain}|${rubric.task}`;
      activeRubrics.set(key, [...(activeRubrics.get(key) ?? []), rubric]);
    }
    const keptAspects = new Map<string, AspectRow[]>();
    for (const aspect of aspects)
      keptAspects.set(aspect.rubric_id, [...(keptAspects.get(aspect.rubric_id) ?? []), aspect]);

    const newestRubric = new Map<string, number>();
    for (const rubric of rubrics) {
      const time = new Date(rubric.created_at).getTime();
      newestRubric.set(
        rubric.grouping_id,
        Math.max(time, newestRubric.get(rubric.grouping_id) ?? 0),
      );
    }
    const groupingsByRecency = groupingRows
      .filter((row) => groupings.has(row.name))
      .sort(
        (a, b) =>
          (newestRubric.get(b.id) ?? -1) - (newestRubric.get(a.id) ?? -1) ||
          a.name.localeCompare(b.name),
      )
      .map((row) => row.name);
    return { groupings, groupingsByRecency, activeRubrics, keptAspects };
  }
}
