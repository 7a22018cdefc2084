/**
 * Accounts in SQL (sql/user_schema/accounts.sql), called as the role a client
 * really has: a visitor, or the holder of a bearer token.
 */
import type pg from "pg";
import { actAs, actAsSuperuser, actAsToken, expectSqlError, withRollback } from "../support/db.ts";
import { mailedToken, mailRecipients } from "../support/mail.ts";

const PASSWORD = "correct horse battery";

interface Registration {
  username: string;
  email: string;
  password: string;
  role: string;
  display_name: string;
  age: number;
  intent: string;
}

function registration(overrides: Partial<Registration> = {}): Registration {
  const username = `user_${Math.random().toString(36).slice(2, 10)}`;
  return { username, email: `${username}@example.com`, password: PASSWORD, role: "female", display_name: "Ann", age: 25, intent: "casual", ...overrides };
}

const REGISTER_SQL = "select user_schema.register($1, $2, $3, $4, $5, $6, $7) as token";
const registerArgs = (r: Registration) => [r.username, r.email, r.password, r.role, r.display_name, r.age, r.intent];

async function register(client: pg.ClientBase, overrides: Partial<Registration> = {}) {
  const r = registration(overrides);
  await actAsToken(client, null);
  const { rows } = await client.query(REGISTER_SQL, registerArgs(r));
  await actAsSuperuser(client);
  const user = await client.query("select id from user_schema.users where username = $1", [r.username]);
  return { ...r, token: rows[0].token as string, id: user.rows[0].id as string };
}

/** Verifies the account's email with the token a verification mail would carry. */
async function verifyEmail(client: pg.ClientBase, userId: string): Promise<void> {
  const token = await issueToken(client, userId);
  await actAsToken(client, null);
  await client.query("select user_schema.verify_email($1)", [token]);
  await actAsSuperuser(client);
}

async function issueToken(client: pg.ClientBase, userId: string): Promise<string> {
  return (await client.query("select token from app_private.issue_email_token($1, 'verify_email')", [userId])).rows[0].token;
}

/** The templates of the mails queued for the account. */
async function mailsQueued(client: pg.ClientBase, userId: string): Promise<string[]> {
  const { rows } = await client.query(
    `select j.payload->>'template' as template
       from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'send_email' and j.payload->>'userId' = $1 order by 1`,
    [userId],
  );
  return rows.map((row) => row.template);
}

async function login(client: pg.ClientBase, usernameOrEmail: string, password: string): Promise<string | null> {
  await actAsToken(client, null);
  const { rows } = await client.query("select user_schema.login($1, $2) as token", [usernameOrEmail, password]);
  await actAsSuperuser(client);
  return rows[0].token;
}

describe("register", () => {
  test("creates the user, the profile and a session, and queues a verification mail", () =>
    withRollback(async (client) => {
      const user = await register(client, { role: "male", age: 31, intent: "serious" });
      expect(user.token).toMatch(/^[0-9a-f]{64}$/);
      const { rows } = await client.query(
        `select u.role, u.email_verified, u.password_hash like '$2a$10$%' as bcrypt_cost_10, p.display_name, p.age, p.intent
           from user_schema.users u join user_schema.profiles p on p.user_id = u.id where u.id = $1`,
        [user.id],
      );
      expect(rows[0]).toEqual({ role: "male", email_verified: false, bcrypt_cost_10: true, display_name: "Ann", age: 31, intent: "serious" });
      expect(await mailedToken(client, user.email, "verify_email")).toMatch(/^[0-9a-f]{64}$/);
      const settings = await actAsToken(client, user.token);
      expect(settings).toMatchObject({ role: "rtc_user" });
      expect((await client.query("select app_private.current_user_id() as id")).rows[0].id).toBe(user.id);
    }));

  test.each([
    ["a too short username", { username: "ab" }, "RUSER"],
    ["a username with a space", { username: "ann smith" }, "RUSER"],
    ["an invalid email", { email: "not-an-email" }, "RMAIL"],
    ["a 9-character password", { password: "123456789" }, "RPASS"],
    ["a password over 72 bytes", { password: "é".repeat(37) }, "RPASS"],
    ["the role admin", { role: "admin" }, "RGEND"],
    ["an age under 18", { age: 17 }, "R18UP"],
    ["an unknown intent (not a value of the enum type)", { intent: "dating" }, "22P02"],
    ["no intent", { intent: null }, "RINTN"],
    ["a blank display name", { display_name: "   " }, "RNAME"],
  ])("refuses %s, leaving nothing behind", (_label, overrides, code) =>
    withRollback(async (client) => {
      const r = registration(overrides as Partial<Registration>);
      await actAsToken(client, null);
      const error = await expectSqlError(client, REGISTER_SQL, registerArgs(r));
      expect(error.code).toBe(code);
      await actAsSuperuser(client);
      expect((await client.query("select count(*)::int as n from user_schema.users where email = $1", [r.email])).rows[0].n).toBe(0);
    }));

  test("refuses a taken username, ignoring case", () =>
    withRollback(async (client) => {
      const first = await register(client);
      await actAsToken(client, null);
      const error = await expectSqlError(client, REGISTER_SQL, registerArgs(registration({ username: first.username.toUpperCase() })));
      expect(error.code).toBe("RTAKN");
    }));

  test("answers an email that has an account like a new one, and mails its owner instead", () =>
    withRollback(async (client) => {
      const owner = await register(client);
      await verifyEmail(client, owner.id);
      const newcomer = await register(client, { email: owner.email.toUpperCase() });
      const stranger = await register(client); // a new address, for comparison

      // The newcomer gets what anyone registering gets: a session on an unverified account.
      for (const user of [newcomer, stranger]) {
        expect(user.token).toMatch(/^[0-9a-f]{64}$/);
        await actAsToken(client, user.token);
        const me = await client.query("select u.email_verified, user_schema.resend_email_verification() as resent from user_schema.users u where u.id = $1", [user.id]);
        expect(me.rows).toEqual([{ email_verified: false, resent: true }]);
      }
      await actAsSuperuser(client);
      expect(await mailsQueued(client, newcomer.id)).toEqual([]);
      expect(await mailsQueued(client, owner.id)).toEqual(["account_exists", "verify_email"]); // the notice, and its own registration's
      expect(await mailsQueued(client, stranger.id)).toEqual(["verify_email"]);

      // Log-in by the address reaches the account that verified it; an unverified
      // account logs in by its username.
      await actAsToken(client, await login(client, owner.email, PASSWORD));
      expect((await client.query("select app_private.current_user_id() as id")).rows[0].id).toBe(owner.id);
      await actAsSuperuser(client);
      expect(await login(client, stranger.email, PASSWORD)).toBeNull();
      expect(await login(client, newcomer.username, PASSWORD)).toMatch(/^[0-9a-f]{64}$/);
    }));

  test("of two accounts that share an unverified email, the first to verify it keeps it", () =>
    withRollback(async (client) => {
      const first = await register(client);
      const second = await register(client, { email: first.email });
      const [firstToken, secondToken] = [await issueToken(client, first.id), await issueToken(client, second.id)];
      await actAsToken(client, null);
      expect((await client.query("select user_schema.verify_email($1) as ok", [secondToken])).rows[0].ok).toBe(true);
      expect((await expectSqlError(client, "select user_schema.verify_email($1)", [firstToken])).code).toBe("RTAKN");
    }));
});

describe("login", () => {
  test("accepts the username or the verified email in any case, and sets last_login", () =>
    withRollback(async (client) => {
      const user = await register(client);
      await verifyEmail(client, user.id);
      expect(await login(client, user.username.toUpperCase(), PASSWORD)).toMatch(/^[0-9a-f]{64}$/);
      expect(await login(client, user.email.toUpperCase(), PASSWORD)).toMatch(/^[0-9a-f]{64}$/);
      const { rows } = await client.query("select last_login is not null as set from user_schema.users where id = $1", [user.id]);
      expect(rows[0].set).toBe(true);
    }));

  test("gives the same answer (null) for a wrong password and an unknown user", () =>
    withRollback(async (client) => {
      const user = await register(client);
      expect(await login(client, user.username, "wrong password!")).toBeNull();
      expect(await login(client, "nobody_here", PASSWORD)).toBeNull();
    }));

  test("locks the account for 15 minutes after 5 failures within 15 minutes", () =>
    withRollback(async (client) => {
      const user = await register(client);
      for (let attempt = 0; attempt < 5; attempt++) expect(await login(client, user.username, "wrong password!")).toBeNull();
      await actAsToken(client, null);
      const locked = await expectSqlError(client, "select user_schema.login($1, $2)", [user.username, PASSWORD]);
      expect(locked.code).toBe("RLOCK");
      expect(locked.message).toMatch(/Try again in 15 minutes/);

      await actAsSuperuser(client);
      await client.query("update app_private.login_throttles set locked_until = now() - interval '1 second' where subject = $1", [`user:${user.id}`]);
      expect(await login(client, user.username, PASSWORD)).not.toBeNull();
    }));

  test("an unknown name is throttled the same way, so the lock does not tell that an account exists", () =>
    withRollback(async (client) => {
      for (let attempt = 0; attempt < 5; attempt++) expect(await login(client, "Nobody_Here", "wrong password!")).toBeNull();
      await actAsToken(client, null);
      const locked = await expectSqlError(client, "select user_schema.login('nobody_here', 'wrong password!')");
      expect(locked.code).toBe("RLOCK");
      expect(locked.message).toMatch(/Try again in 15 minutes/);
    }));

  test("failures older than 15 minutes do not count", () =>
    withRollback(async (client) => {
      const user = await register(client);
      for (let attempt = 0; attempt < 4; attempt++) await login(client, user.username, "wrong password!");
      await client.query("update app_private.login_throttles set first_failed_at = now() - interval '16 minutes' where subject = $1", [`user:${user.id}`]);
      await login(client, user.username, "wrong password!");
      expect(await login(client, user.username, PASSWORD)).not.toBeNull();
    }));

  test("a deactivated user cannot log in and has lost every session", () =>
    withRollback(async (client) => {
      const user = await register(client);
      await client.query("update user_schema.users set is_active = false where id = $1", [user.id]);
      expect((await client.query("select count(*)::int as n from user_schema.user_sessions where user_id = $1", [user.id])).rows[0].n).toBe(0);
      await expect(actAsToken(client, user.token)).rejects.toMatchObject({ extensions: { code: "RSESS" } });
      await actAsToken(client, null);
      expect((await expectSqlError(client, "select user_schema.login($1, $2)", [user.username, PASSWORD])).code).toBe("RDEAC");
    }));
});

describe("sessions", () => {
  test("logout ends that session only; logout_everywhere ends all", () =>
    withRollback(async (client) => {
      const user = await register(client);
      const phone = (await login(client, user.username, PASSWORD))!;
      const laptop = (await login(client, user.username, PASSWORD))!;

      await actAsToken(client, phone);
      await client.query("select user_schema.logout()");
      await expect(actAsToken(client, phone)).rejects.toMatchObject({ extensions: { code: "RSESS" } });

      await actAsToken(client, laptop);
      expect((await client.query("select user_schema.logout_everywhere() as n")).rows[0].n).toBe(2);
      await expect(actAsToken(client, laptop)).rejects.toMatchObject({ extensions: { code: "RSESS" } });
      await expect(actAsToken(client, user.token)).rejects.toMatchObject({ extensions: { code: "RSESS" } });
    }));

  test("settings that still name an ended session are refused by the database (RSESS), not treated as a visitor", () =>
    withRollback(async (client) => {
      const user = await register(client);
      const phone = (await login(client, user.username, PASSWORD))!;
      const stale = await actAsToken(client, phone); // what an API process may still hold for a moment
      await client.query("select user_schema.logout()");
      expect((await client.query("select app_private.current_user_id() as id")).rows[0].id).toBeNull();
      await actAsSuperuser(client); // a later request, on the same connection
      await client.query("select set_config('rtc.checked_session', '', true)");
      await actAs(client, stale);
      expect((await expectSqlError(client, "select app_private.current_user_id()")).code).toBe("RSESS");
    }));

  test("an expired session authenticates nobody", () =>
    withRollback(async (client) => {
      const user = await register(client);
      await client.query("update user_schema.user_sessions set expires_at = now() - interval '1 second' where user_id = $1", [user.id]);
      await expect(actAsToken(client, user.token)).rejects.toMatchObject({ extensions: { code: "RSESS" } });
    }));

  test("a session revoked after the request was authenticated stops working at once", () =>
    withRollback(async (client) => {
      const user = await register(client);
      await actAsToken(client, user.token);
      await actAsSuperuser(client);
      await client.query("delete from user_schema.user_sessions where user_id = $1", [user.id]);
      await actAs(client, { role: "rtc_user" });
      expect((await client.query("select app_private.current_user_id() as id")).rows[0].id).toBeNull();
      expect((await expectSqlError(client, "select user_schema.logout()")).code).toBe("RAUTH");
    }));
});

describe("email verification", () => {
  test("the mailed token verifies the email once", () =>
    withRollback(async (client) => {
      const user = await register(client);
      const token = await mailedToken(client, user.email, "verify_email");
      await actAsToken(client, null);
      expect((await client.query("select user_schema.verify_email($1) as ok", [token])).rows[0].ok).toBe(true);
      expect((await expectSqlError(client, "select user_schema.verify_email($1)", [token])).code).toBe("RTOKN");
      await actAsSuperuser(client);
      expect((await client.query("select email_verified from user_schema.users where id = $1", [user.id])).rows[0].email_verified).toBe(true);
    }));

  test("tokens are stored only as hashes", () =>
    withRollback(async (client) => {
      const user = await register(client);
      const token = await mailedToken(client, user.email, "verify_email");
      const { rows } = await client.query(
        "select email_verification_token_hash = sha256(convert_to($2, 'utf8')) as hashed from app_private.user_secrets where user_id = $1",
        [user.id, token],
      );
      expect(rows[0].hashed).toBe(true);
    }));
});

describe("passwords", () => {
  test("a burst of reset requests sends one mail", () =>
    withRollback(async (client) => {
      const user = await register(client);
      await actAsToken(client, null);
      for (let i = 0; i < 5; i++) await client.query("select user_schema.request_password_reset($1)", [user.email]);
      await actAsSuperuser(client);
      const jobs = await client.query(
        `select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
          where t.identifier = 'send_email' and j.payload->>'userId' = $1 and j.payload->>'template' = 'password_reset'`,
        [user.id],
      );
      expect(jobs.rows[0].n).toBe(1);
      // The worker sends it: it issues the token and the job is done.
      await mailedToken(client, user.email, "password_reset");
      await client.query("delete from graphile_worker._private_jobs where payload->>'userId' = $1", [user.id]);
      await actAsToken(client, null);
      await client.query("select user_schema.request_password_reset($1)", [user.email]);
      await actAsSuperuser(client);
      const again = await client.query(
        `select count(*)::int as n from graphile_worker._private_jobs j where j.payload->>'userId' = $1`,
        [user.id],
      );
      expect(again.rows[0].n).toBe(0); // the link just mailed keeps working
    }));

  test("a new reset link does not void a pending one; an address gets 5 reset mails a day, at growing intervals", () =>
    withRollback(async (client) => {
      const user = await register(client);
      const requestReset = async () => {
        await actAsToken(client, null);
        await client.query("select user_schema.request_password_reset($1)", [user.email]);
        await actAsSuperuser(client);
      };
      const queued = async () =>
        (await client.query("select count(*)::int as n from graphile_worker._private_jobs j where j.payload->>'userId' = $1 and j.payload->>'template' = 'password_reset'", [user.id])).rows[0].n;
      /** As if the time since the address's first reset mail today were longer. */
      const later = (minutes: number) =>
        client.query("update app_private.rate_limit_counters set window_started_at = window_started_at - make_interval(mins => $1) where action = 'mail' and subject like 'mail:password_reset:%'", [minutes]);
      const mailed = async () => {
        const token = await mailedToken(client, user.email, "password_reset");
        await client.query("delete from graphile_worker._private_jobs where payload->>'userId' = $1", [user.id]);
        return token;
      };

      await requestReset();
      const first = await mailed();
      const gaps = [1, 2, 4, 8]; // the 2nd mail 1 minute after the 1st, then 3, 7, 15 minutes after it
      const tokens = [first];
      for (const gap of gaps) {
        await requestReset();
        expect(await queued()).toBe(0); // too early
        await later(gap);
        await requestReset();
        expect(await queued()).toBe(1);
        tokens.push(await mailed());
      }
      await later(60);
      await requestReset();
      expect(await queued()).toBe(0); // the 6th of the day
      // Every link mailed still works; using one ends the others.
      await actAsToken(client, null);
      expect((await client.query("select user_schema.reset_password($1, 'a brand new password') as ok", [first])).rows[0].ok).toBe(true);
      expect((await expectSqlError(client, "select user_schema.reset_password($1, 'another new password')", [tokens[4]])).code).toBe("RTOKN");
    }));

  test("a reset request answers the same whether the email exists, and mails only real accounts", () =>
    withRollback(async (client) => {
      const user = await register(client);
      await actAsToken(client, null);
      for (const email of [user.email, "nobody@example.com"]) {
        expect((await client.query("select user_schema.request_password_reset($1) as ok", [email])).rows[0].ok).toBe(true);
      }
      await actAsSuperuser(client);
      expect(await mailRecipients(client, "password_reset", [user.email, "nobody@example.com"])).toEqual([user.email]);
    }));

  test("a reset token sets the password once, ends every session, and expires after an hour", () =>
    withRollback(async (client) => {
      const user = await register(client);
      await actAsToken(client, null);
      await client.query("select user_schema.request_password_reset($1)", [user.email]);
      await actAsSuperuser(client);
      const token = await mailedToken(client, user.email, "password_reset");

      await actAsToken(client, null);
      expect((await expectSqlError(client, "select user_schema.reset_password($1, 'short')", [token])).code).toBe("RPASS");
      expect((await client.query("select user_schema.reset_password($1, 'a brand new password') as ok", [token])).rows[0].ok).toBe(true);
      expect((await expectSqlError(client, "select user_schema.reset_password($1, 'another new password')", [token])).code).toBe("RTOKN");
      await expect(actAsToken(client, user.token)).rejects.toMatchObject({ extensions: { code: "RSESS" } });
      expect(await login(client, user.username, PASSWORD)).toBeNull();
      expect(await login(client, user.username, "a brand new password")).not.toBeNull();

      await actAsToken(client, null);
      await client.query("select user_schema.request_password_reset($1)", [user.email]);
      await actAsSuperuser(client);
      const late = await mailedToken(client, user.email, "password_reset");
      await client.query("update app_private.password_reset_tokens set expires_at = now() - interval '1 second' where user_id = $1", [user.id]);
      await actAsToken(client, null);
      expect((await expectSqlError(client, "select user_schema.reset_password($1, 'too late password')", [late])).code).toBe("RTOKN");
    }));

  test("change_password checks the current password and ends the other sessions", () =>
    withRollback(async (client) => {
      const user = await register(client);
      const other = (await login(client, user.username, PASSWORD))!;
      await actAsToken(client, user.token);
      // false (RCRED through the API): the failure counts against the log-in throttle.
      expect((await client.query("select user_schema.change_password('wrong password!', 'a brand new password') as changed")).rows).toEqual([{ changed: false }]);
      await client.query("select user_schema.change_password($1, 'a brand new password')", [PASSWORD]);
      await expect(actAsToken(client, other)).rejects.toMatchObject({ extensions: { code: "RSESS" } });
      await actAsToken(client, user.token); // this device stays logged in
    }));

  test("delete_account needs the password, then removes the user and everything of theirs", () =>
    withRollback(async (client) => {
      const user = await register(client);
      await actAsToken(client, user.token);
      expect((await client.query("select user_schema.delete_account('wrong password!') as deleted")).rows).toEqual([{ deleted: false }]);
      await client.query("select user_schema.delete_account($1)", [PASSWORD]);
      await actAsSuperuser(client);
      const left = await client.query(
        `select (select count(*) from user_schema.users where id = $1) + (select count(*) from user_schema.profiles where user_id = $1)
              + (select count(*) from user_schema.user_sessions where user_id = $1) + (select count(*) from app_private.user_secrets where user_id = $1) as n`,
        [user.id],
      );
      expect(Number(left.rows[0].n)).toBe(0);
    }));
});

describe("admins", () => {
  test("are created by the owner only (npm run create-admin), verified, and log in as rtc_admin", () =>
    withRollback(async (client) => {
      const { rows } = await client.query("select app_private.create_admin('chief_admin', 'chief@example.com', $1) as id", [PASSWORD]);
      const account = await client.query("select role, email_verified from user_schema.users where id = $1", [rows[0].id]);
      expect(account.rows[0]).toEqual({ role: "admin", email_verified: true });
      const token = await login(client, "chief_admin", PASSWORD);
      expect(await actAsToken(client, token)).toMatchObject({ role: "rtc_admin" });
      await actAsSuperuser(client);
      expect((await expectSqlError(client, "select app_private.create_admin('x', 'x@example.com', $1)", [PASSWORD])).code).toBe("RUSER");
      expect((await expectSqlError(client, "select app_private.create_admin('chief2', 'chief2@example.com', 'short')")).code).toBe("RPASS");
    }));
});
