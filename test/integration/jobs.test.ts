import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS, createTestApp, type TestApp } from "../support/test-app.ts";

describe.each(BACKENDS)("database on %s", (backend) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it("migrates and stores a dataset", async () => {
    app = await createTestApp({ backend });
    const { db } = app.database;
    await db.insertInto("datasets").values({ id: "d1", name: "sample" }).execute();
    const rows = await db.selectFrom("datasets").selectAll().execute();
    expect(rows.map((row) => row.name)).toEqual(["sample"]);
  });

  it("serializes concurrent transactions", async () => {
    app = await createTestApp({ backend });
    const { db } = app.database;
    await db.insertInto("datasets").values({ id: "d1", name: "counter-0" }).execute();
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        db
          .transaction()
          .execute(async (trx) => {
            const row = await trx
              .selectFrom("datasets")
              .select("name")
              .where("id", "=", "d1")
              .forUpdate()
              .executeTakeFirstOrThrow();
            const count = Number(row.name.split("-")[1]) + 1;
            await trx
              .updateTable("datasets")
              .set({ name: `counter-${count}` })
              .where("id", "=", "d1")
              .execute();
            if (index % 5 === 0) throw new Error("rollback on purpose");
          })
          .catch(() => undefined),
      ),
    );
    const row = await db
      .selectFrom("datasets")
      .select("name")
      .where("id", "=", "d1")
      .executeTakeFirstOrThrow();
    expect(row.name).toBe("counter-16");
  });
});
