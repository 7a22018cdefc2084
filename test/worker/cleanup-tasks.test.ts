/** The retention tasks, run by a real graphile-worker against the test database. */
import { runOnce } from "graphile-worker";
import { superuserPool, testDatabaseUrls } from "../support/db.ts";
import { createSession, createUser } from "../support/factories.ts";
import { taskList } from "../../worker/task-list.ts";
import { quietWorkerLogger } from "../../worker/logger.ts";

async function runJob(task: string, payload: object = {}) {
  await superuserPool().query("select graphile_worker.add_job($1, $2::json)", [task, JSON.stringify(payload)]);
  await runOnce({ connectionString: testDatabaseUrls().owner, taskList, logger: quietWorkerLogger });
  const { rows } = await superuserPool().query("select count(*)::int as failed from graphile_worker.jobs where task_identifier = $1", [task]);
  expect(rows[0].failed).toBe(0); // a successful job is deleted from the queue
}

test("cleanup_expired_sessions deletes expired sessions", async () => {
  const db = superuserPool();
  const user = await createUser(db, "male");
  try {
    await createSession(db, user, { socketId: "expired", expiresIn: "-1 minute" });
    await createSession(db, user, { socketId: "valid", expiresIn: "1 hour" });
    await runJob("cleanup_expired_sessions");
    const { rows } = await db.query("select socket_id from user_schema.user_sessions where user_id = $1", [user.id]);
    expect(rows.map((row) => row.socket_id)).toEqual(["valid"]);
  } finally {
    await db.query("delete from user_schema.users where id = $1", [user.id]);
  }
});

test("cleanup_old_interactions keeps calls inside the retention period it is given", async () => {
  const db = superuserPool();
  const [male, female] = [await createUser(db, "male"), await createUser(db, "female")];
  try {
    await db.query(
      `insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, started_at, ended_at)
       values ($1, $2, 'old', now() - interval '400 days', now() - interval '400 days' + interval '5 minutes'),
              ($1, $2, 'recent', now() - interval '20 days', now() - interval '20 days' + interval '5 minutes')`,
      [male.id, female.id],
    );
    await runJob("cleanup_old_interactions");
    const rooms = async () =>
      (await db.query("select room_id from interaction_schema.interaction_logs where user1_id = $1", [male.id])).rows.map((row) => row.room_id);
    expect(await rooms()).toEqual(["recent"]);

    await runJob("cleanup_old_interactions", { retentionDays: 10 });
    expect(await rooms()).toEqual([]);
  } finally {
    await db.query("delete from user_schema.users where id = any($1)", [[male.id, female.id]]);
  }
});
