import type { Db } from "../db/database.ts";
import { NotFoundError } from "../errors.ts";

/** Returns the dataset with this name; throws `NotFoundError` when there is none. */
export async function requireDataset(db: Db, name: string) {
  const dataset = await db
    .selectFrom("datasets")
    .selectAll()
    .where("name", "=", name)
    .executeTakeFirst();
  if (!dataset) throw new NotFoundError("Dataset", name);
  return dataset;
}

/** Returns the grouping with this name; throws `NotFoundError` when there is none. */
export async function requireGrouping(db: Db, name: string) {
  const grouping = await db
    .selectFrom("groupings")
    .selectAll()
    .where("name", "=", name)
    .executeTakeFirst();
  if (!grouping) throw new NotFoundError("Grouping", name);
  return grouping;
}
