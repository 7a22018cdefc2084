/**
 * The rules the seed schema (the tables migration 000001 starts from) left
 * unenforced: each bad write it accepted is now refused by the database
 * itself, with a message (or constraint name) that names the rule. The
 * numbers follow the README's list "Data rules the seed schema lacked".
 */
import type pg from "pg";
import { expectSqlError, withRollback } from "../support/db.ts";
import { createCall, createConnection, createUser, type TestUser } from "../support/factories.ts";

function insertCall(client: pg.ClientBase, user1: TestUser, user2: TestUser, femaleUserId: string | null = null) {
  return expectSqlError(
    client,
    `insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, female_user_id) values ($1, $2, 'room', $3)`,
    [user1.id, user2.id, femaleUserId],
  );
}

describe("1. users.role is required", () => {
  test("an insert without a role names the missing role", () =>
    withRollback(async (client) => {
      const error = await expectSqlError(
        client,
        `insert into user_schema.users (username, email, password_hash) values ('norole', 'norole@example.com', 'x')`,
      );
      expect(error.code).toBe("23502"); // not_null_violation
      expect(error.column).toBe("role");
    }));

  test("a role outside male, female, admin is refused", () =>
    withRollback(async (client) => {
      const error = await expectSqlError(
        client,
        `insert into user_schema.users (username, email, password_hash, role) values ('x', 'x@example.com', 'x', 'user')`,
      );
      expect(error.code).toBe("22P02"); // not a value of the enum type user_role
    }));

  test("a role cannot be changed after registration", () =>
    withRollback(async (client) => {
      const male = await createUser(client, "male");
      const error = await expectSqlError(client, `update user_schema.users set role = 'female' where id = $1`, [male.id]);
      expect(error.code).toBe("RROLE");
      expect(error.message).toMatch(/role cannot be changed/);
    }));
});

describe("2. one connection per pair, in either order", () => {
  test("a pair is stored in canonical order whichever order it is given in", () =>
    withRollback(async (client) => {
      const [male, female] = [await createUser(client, "male"), await createUser(client, "female")];
      const callId = await createCall(client, male, female);
      const [first, second] = [male.id, female.id].sort();
      const { rows } = await client.query(
        `insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id)
         values ($1, $2, $3, $4) returning user1_id, user2_id`,
        [second, first, callId, female.id],
      );
      expect(rows[0]).toEqual({ user1_id: first, user2_id: second });
    }));

  test("the same pair in the other order is refused as a duplicate", () =>
    withRollback(async (client) => {
      const [male, female] = [await createUser(client, "male"), await createUser(client, "female")];
      await createConnection(client, male, female);
      const callId = await createCall(client, male, female);
      const error = await expectSqlError(
        client,
        `insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id) values ($1, $2, $3, $1)`,
        [female.id, male.id, callId],
      );
      expect(error.code).toBe("23505");
      expect(error.constraint).toBe("unique_user_connection");
    }));
});

describe("3. calls, connections and video requests are between one male and one female", () => {
  test("a call with oneself is refused", () =>
    withRollback(async (client) => {
      const male = await createUser(client, "male");
      const error = await insertCall(client, male, male);
      expect(error.constraint).toBe("interaction_logs_participants_differ");
    }));

  test.each([
    ["male", "male"],
    ["female", "female"],
    ["admin", "female"],
    ["male", "admin"],
  ] as const)("a %s-%s call is refused", (role1, role2) =>
    withRollback(async (client) => {
      const error = await insertCall(client, await createUser(client, role1), await createUser(client, role2));
      expect(error.code).toBe("RPAIR");
      expect(error.message).toMatch(/one male and one female participant/);
    }));

  test("female_user_id of a call must be its female participant, and is filled in when omitted", () =>
    withRollback(async (client) => {
      const [male, female, otherFemale] = [await createUser(client, "male"), await createUser(client, "female"), await createUser(client, "female")];
      expect((await insertCall(client, male, female, male.id)).code).toBe("RFEMA");
      expect((await insertCall(client, male, female, otherFemale.id)).code).toBe("RFEMA");

      const callId = await createCall(client, male, female);
      const { rows } = await client.query("select female_user_id from interaction_schema.interaction_logs where id = $1", [callId]);
      expect(rows[0].female_user_id).toBe(female.id);
    }));

  test("a call cannot be changed into a same-sex call", () =>
    withRollback(async (client) => {
      const [male, female, otherMale] = [await createUser(client, "male"), await createUser(client, "female"), await createUser(client, "male")];
      const callId = await createCall(client, male, female);
      const error = await expectSqlError(
        client,
        "update interaction_schema.interaction_logs set user2_id = $1, female_user_id = null where id = $2",
        [otherMale.id, callId],
      );
      expect(error.code).toBe("RPAIR");
    }));

  test("a same-sex connection, or one naming the male as female_user_id, is refused", () =>
    withRollback(async (client) => {
      const [male, female, otherMale] = [await createUser(client, "male"), await createUser(client, "female"), await createUser(client, "male")];
      const callId = await createCall(client, male, female);
      const insert = (user1: string, user2: string, femaleId: string) =>
        expectSqlError(
          client,
          `insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id) values ($1, $2, $3, $4)`,
          [user1, user2, callId, femaleId],
        );
      expect((await insert(male.id, otherMale.id, male.id)).code).toBe("RPAIR");
      expect((await insert(male.id, female.id, male.id)).code).toBe("RFEMA");
    }));

  test("a connection must come from a call between the same two users", () =>
    withRollback(async (client) => {
      const [male, female, otherMale] = [await createUser(client, "male"), await createUser(client, "female"), await createUser(client, "male")];
      const otherCallId = await createCall(client, otherMale, female);
      const error = await expectSqlError(
        client,
        `insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id) values ($1, $2, $3, $2)`,
        [male.id, female.id, otherCallId],
      );
      expect(error.code).toBe("RCONN");
    }));

  test("a video request's approver is always the connection's female participant", () =>
    withRollback(async (client) => {
      const [male, female, stranger] = [await createUser(client, "male"), await createUser(client, "female"), await createUser(client, "female")];
      const connectionId = await createConnection(client, male, female);
      const request = (requester: string, approver: string | null) =>
        client.query(
          `insert into interaction_schema.video_requests (connection_id, requester_user_id, approver_user_id)
           values ($1, $2, $3) returning approver_user_id`,
          [connectionId, requester, approver],
        );

      expect((await request(male.id, null)).rows[0].approver_user_id).toBe(female.id);
      await client.query("update interaction_schema.video_requests set status = 'rejected' where connection_id = $1", [connectionId]);
      expect((await request(male.id, female.id)).rows[0].approver_user_id).toBe(female.id);

      const wrongApprover = await expectSqlError(
        client,
        `insert into interaction_schema.video_requests (connection_id, requester_user_id, approver_user_id) values ($1, $2, $3)`,
        [connectionId, female.id, male.id],
      );
      expect(wrongApprover.code).toBe("RVAPR");
      for (const requester of [female.id, stranger.id]) {
        const wrongRequester = await expectSqlError(
          client,
          `insert into interaction_schema.video_requests (connection_id, requester_user_id) values ($1, $2)`,
          [connectionId, requester],
        );
        expect(wrongRequester.code).toBe("RVREQ");
      }
    }));
});

describe("4. durations and end times make sense", () => {
  test("duration_seconds is computed by the database, never taken from the writer", () =>
    withRollback(async (client) => {
      const [male, female] = [await createUser(client, "male"), await createUser(client, "female")];
      const { rows } = await client.query(
        `insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, started_at, duration_seconds)
         values ($1, $2, 'room', now() - interval '95 seconds', -1) returning id, duration_seconds`,
        [male.id, female.id],
      );
      expect(rows[0].duration_seconds).toBe(0); // live
      const ended = await client.query(
        "update interaction_schema.interaction_logs set ended_at = now(), duration_seconds = 5000 where id = $1 returning duration_seconds",
        [rows[0].id],
      );
      expect(ended.rows[0].duration_seconds).toBe(95);
    }));

  test("a negative duration is refused even without the trigger", () =>
    withRollback(async (client) => {
      const [male, female] = [await createUser(client, "male"), await createUser(client, "female")];
      await client.query("alter table interaction_schema.interaction_logs disable trigger interaction_logs_set_duration");
      const error = await expectSqlError(
        client,
        `insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, duration_seconds) values ($1, $2, 'room', -1)`,
        [male.id, female.id],
      );
      expect(error.constraint).toBe("interaction_logs_duration_not_negative");
    }));

  test("an end before the start is refused", () =>
    withRollback(async (client) => {
      const [male, female] = [await createUser(client, "male"), await createUser(client, "female")];
      const callId = await createCall(client, male, female);
      const error = await expectSqlError(
        client,
        `update interaction_schema.interaction_logs set ended_at = started_at - interval '1 second' where id = $1`,
        [callId],
      );
      expect(error.constraint).toBe("interaction_logs_ends_after_start");
    }));
});
