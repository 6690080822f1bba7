import type { Db } from "../../db/database.ts";

/** A model registered for one group: the fine-tuning stage registers them, routing reads them. */
export interface GroupModel {
  id: string;
  provider: string;
  model: string;
}

/** The newest `ready` model of a group, or null. */
export async function findGroupModel(
  db: Db,
  grouping: string,
  group: string,
): Promise<GroupModel | null> {
  const row = await db
    .selectFrom("models")
    .innerJoin("groupings", "groupings.id", "models.grouping_id")
    .select(["models.id", "models.provider", "models.model"])
    .where("groupings.name", "=", grouping)
    .where("models.group_name", "=", group)
    .where("models.status", "=", "ready")
    .orderBy("models.created_at", "desc")
    .executeTakeFirst();
  return row ?? null;
}
