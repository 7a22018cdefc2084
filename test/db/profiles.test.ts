/**
 * Profiles and account privacy under row-level security and column
 * privileges, as the rtc_user / rtc_admin roles that API clients get.
 */
import type pg from "pg";
import { actAsSuperuser, actAsToken, expectSqlError, withRollback } from "../support/db.ts";
import { createCall, createConnection, createSession, createUser } from "../support/factories.ts";
import { createPlayer } from "../support/players.ts";

/** Whose public profiles the viewer sees (their own included). */
async function visibleProfiles(client: pg.ClientBase, viewer: { token: string }): Promise<string[]> {
  await actAsToken(client, viewer.token);
  const { rows } = await client.query("select user_id from user_schema.public_profiles");
  await actAsSuperuser(client);
  return rows.map((row) => row.user_id);
}

describe("who sees a profile", () => {
  test("a user sees only their own profile when not matched or connected", () =>
    withRollback(async (client) => {
      const [ann, bob] = [await createPlayer(client, "female"), await createPlayer(client, "male")];
      expect(await visibleProfiles(client, ann)).toEqual([ann.id]);
      expect(await visibleProfiles(client, bob)).toEqual([bob.id]);
    }));

  test("during a call, and for the decision window after it, both see each other", () =>
    withRollback(async (client) => {
      const [ann, bob] = [await createPlayer(client, "female"), await createPlayer(client, "male")];
      const callId = await createCall(client, bob, ann);
      expect((await visibleProfiles(client, ann)).sort()).toEqual([ann.id, bob.id].sort());

      await client.query("update interaction_schema.interaction_logs set started_at = now() - interval '20 minutes', ended_at = now() - interval '5 minutes' where id = $1", [callId]);
      expect(await visibleProfiles(client, bob)).toContain(ann.id);

      await client.query("update interaction_schema.interaction_logs set ended_at = now() - interval '11 minutes' where id = $1", [callId]);
      expect(await visibleProfiles(client, bob)).toEqual([bob.id]);
    }));

  test("connected users see each other until the connection ends", () =>
    withRollback(async (client) => {
      const [ann, bob] = [await createPlayer(client, "female"), await createPlayer(client, "male")];
      const connectionId = await createConnection(client, bob, ann);
      await client.query("update interaction_schema.interaction_logs set ended_at = now() - interval '1 day', started_at = now() - interval '2 days'");
      expect(await visibleProfiles(client, bob)).toContain(ann.id);
      await client.query("update interaction_schema.connections set is_active = false where id = $1", [connectionId]);
      expect(await visibleProfiles(client, bob)).toEqual([bob.id]);
    }));

  test("a partner sees the public part only; the whole profile stays its owner's", () =>
    withRollback(async (client) => {
      const [ann, bob] = [await createPlayer(client, "female"), await createPlayer(client, "male")];
      await client.query(`update user_schema.profiles set preferences = '{"age_min": 30}' where user_id = $1`, [ann.id]);
      await createConnection(client, bob, ann);
      await actAsToken(client, bob.token);
      const { rows } = await client.query("select * from user_schema.public_profiles where user_id = $1", [ann.id]);
      expect(Object.keys(rows[0]).sort()).toEqual(["age", "display_name", "intent", "location_city", "location_country", "photos", "short_bio", "user_id", "videos"]);
      expect((await client.query("select user_id from user_schema.profiles")).rows).toEqual([{ user_id: bob.id }]);
    }));

  test("an admin reads every profile", () =>
    withRollback(async (client) => {
      const [ann, admin] = [await createPlayer(client, "female"), await createUser(client, "admin")];
      await actAsToken(client, await createSession(client, admin));
      expect((await client.query("select user_id from user_schema.profiles where user_id = $1", [ann.id])).rows).toHaveLength(1);
    }));
});

describe("editing a profile", () => {
  test("a user edits their own profile, and nobody else's", () =>
    withRollback(async (client) => {
      const [ann, bob] = [await createPlayer(client, "female"), await createPlayer(client, "male")];
      await createCall(client, bob, ann); // even while matched
      await actAsToken(client, bob.token);
      const own = await client.query("update user_schema.profiles set short_bio = 'hi' where user_id = $1", [bob.id]);
      const other = await client.query("update user_schema.profiles set short_bio = 'hacked' where user_id = $1", [ann.id]);
      expect([own.rowCount, other.rowCount]).toEqual([1, 0]);
      expect((await expectSqlError(client, "update user_schema.profiles set user_id = $1 where user_id = $2", [ann.id, bob.id])).code).toBe("42501");
    }));

  test.each([
    ["a 7th photo", { photos: JSON.stringify(Array.from({ length: 7 }, (_, i) => `https://cdn.example.com/${i}.jpg`)) }, "profiles_photos_at_most_6_https_urls"],
    ["a photo over http", { photos: JSON.stringify(["http://cdn.example.com/1.jpg"]) }, "profiles_photos_at_most_6_https_urls"],
    ["a 3rd video", { videos: JSON.stringify(["https://a.example/1", "https://a.example/2", "https://a.example/3"]) }, "profiles_videos_at_most_2_https_urls"],
    ["a 501-character bio", { short_bio: "x".repeat(501) }, "profiles_short_bio_at_most_500_characters"],
    ["an age of 17", { age: 17 }, "profiles_age_check"],
    ["a blank display name", { display_name: " " }, "profiles_display_name_not_blank"],
    ["age_min above age_max", { preferences: JSON.stringify({ age_min: 40, age_max: 30 }) }, "profiles_preferences_shape"],
    ["a fractional age_min", { preferences: JSON.stringify({ age_min: 20.5 }) }, "profiles_preferences_shape"],
    ["an unknown preference", { preferences: JSON.stringify({ favourite_colour: "red" }) }, "profiles_preferences_shape"],
  ])("refuses %s", (_label, change, constraint) =>
    withRollback(async (client) => {
      const bob = await createPlayer(client, "male");
      await actAsToken(client, bob.token);
      const [column, value] = Object.entries(change)[0]!;
      const error = await expectSqlError(client, `update user_schema.profiles set ${column} = $1 where user_id = $2`, [value, bob.id]);
      expect(error.constraint).toBe(constraint);
    }));

  test("refuses an unknown intent: not a value of the enum type", () =>
    withRollback(async (client) => {
      const bob = await createPlayer(client, "male");
      await actAsToken(client, bob.token);
      const error = await expectSqlError(client, "update user_schema.profiles set intent = $1 where user_id = $2", ["dating", bob.id]);
      expect(error.code).toBe("22P02");
    }));

  test("accepts a full, valid profile", () =>
    withRollback(async (client) => {
      const bob = await createPlayer(client, "male");
      await actAsToken(client, bob.token);
      const { rowCount } = await client.query(
        `update user_schema.profiles
            set short_bio = 'Hello', photos = '["https://cdn.example.com/a.jpg"]', videos = '["https://cdn.example.com/a.mp4"]',
                intent = 'serious', age = 42, location_city = 'Lyon', location_country = 'France',
                preferences = '{"age_min": 30, "age_max": 45, "same_country_only": true}'
          where user_id = $1`,
        [bob.id],
      );
      expect(rowCount).toBe(1);
    }));
});

describe("account privacy", () => {
  test("a user reads their own account, email included, and no other account", () =>
    withRollback(async (client) => {
      const [ann, bob] = [await createPlayer(client, "female"), await createPlayer(client, "male")];
      await createConnection(client, bob, ann);
      await actAsToken(client, bob.token);
      // The email column itself is no API role's: it is read through own_email (User.email).
      const { rows } = await client.query("select id, app_private.own_email(id) as email from user_schema.users");
      expect(rows).toEqual([{ id: bob.id, email: `${bob.username}@example.com` }]);
      expect(await client.query("select app_private.own_email($1) as email", [ann.id]).then((result) => result.rows)).toEqual([{ email: null }]);
    }));

  test("nobody reads a password hash or a token hash; admins read no email", () =>
    withRollback(async (client) => {
      const bob = await createPlayer(client, "male");
      const admin = await createUser(client, "admin");
      const adminToken = await createSession(client, admin);
      for (const token of [bob.token, adminToken]) {
        await actAsToken(client, token);
        expect((await expectSqlError(client, "select password_hash from user_schema.users")).code).toBe("42501");
        expect((await expectSqlError(client, "select token_hash from user_schema.user_sessions")).code).toBe("42501");
      }
      await actAsToken(client, adminToken);
      expect((await expectSqlError(client, "select email from user_schema.users")).code).toBe("42501");
      expect((await client.query("select count(*)::int as n from user_schema.users")).rows[0].n).toBeGreaterThanOrEqual(2);
    }));

  test("a user cannot make themselves admin, or change their role at all", () =>
    withRollback(async (client) => {
      const bob = await createPlayer(client, "male");
      await actAsToken(client, bob.token);
      expect((await expectSqlError(client, "update user_schema.users set role = 'admin' where id = $1", [bob.id])).code).toBe("42501");
      expect((await expectSqlError(client, "select user_schema.set_user_active($1, false)", [bob.id])).code).toBe("42501");
    }));
});

describe("admin", () => {
  test("an admin deactivates and reactivates a user; a user is logged out when deactivated", () =>
    withRollback(async (client) => {
      const bob = await createPlayer(client, "male");
      const admin = await createUser(client, "admin");
      await actAsToken(client, await createSession(client, admin));
      const { rows } = await client.query("select user_schema.set_user_active($1, false) as active", [bob.id]);
      expect(rows[0].active).toBe(false);
      await expect(actAsToken(client, bob.token)).rejects.toMatchObject({ extensions: { code: "RSESS" } });
      await actAsToken(client, await createSession(client, admin));
      expect((await client.query("select user_schema.set_user_active($1, true) as active", [bob.id])).rows[0].active).toBe(true);
      expect((await client.query("select user_schema.set_user_active($1, null) as active", [bob.id])).rows[0].active).toBeNull(); // strict: no half-ban
      expect((await expectSqlError(client, "select user_schema.set_user_active('00000000-0000-0000-0000-000000000000', false)")).code).toBe("RNOUS");
    }));
});
