/**
 * Deny by default: row-level security is on for every table, the roles the
 * API switches to hold only the grants listed here, and the secrets
 * (password hashes, token hashes, account secrets) are granted to nobody.
 */
import pg from "pg";
import { actAs, expectSqlError, superuserPool, testDatabaseUrls, withRollback } from "../support/db.ts";

const API_ROLES = ["rtc_visitor", "rtc_user", "rtc_admin"];
const OUR_SCHEMAS = "('user_schema', 'interaction_schema', 'communication_schema', 'analytics_schema', 'app_private')";

/** Every column privilege the API roles hold: role | table | privilege | columns. */
const API_GRANTS = `
rtc_admin|analytics_schema.daily_intent_stats|SELECT|connect_rate,connections,day,intent,matches,refreshed_at
rtc_admin|analytics_schema.daily_stats|SELECT|calls_ended,connections,day,matches,median_call_seconds,refreshed_at,registrations
rtc_admin|analytics_schema.events|SELECT|event_type,id,occurred_at,properties
rtc_admin|communication_schema.messages|SELECT|chat_room_id,client_message_id,content,created_at,id,is_deleted,is_edited,message_type,metadata,sender_user_id,updated_at
rtc_admin|interaction_schema.interaction_logs|SELECT|duration_seconds,ended_at,female_user_id,id,interaction_type,metadata,outcome,room_id,started_at,user1_id,user1_joined_at,user1_passed,user2_id,user2_joined_at,user2_passed
rtc_admin|interaction_schema.reports|SELECT|created_at,id,interaction_log_id,message_id,reason,reported_user_id,reporter_user_id,resolved_at,resolved_by_user_id,status
rtc_admin|user_schema.profiles|SELECT|age,created_at,display_name,id,intent,location_city,location_country,photos,preferences,short_bio,updated_at,user_id,videos
rtc_admin|user_schema.user_sessions|SELECT|created_at,expires_at,id,ip_address,socket_id,status,updated_at,user_agent,user_id
rtc_admin|user_schema.users|SELECT|created_at,email_verified,id,is_active,last_login,role,updated_at,username
rtc_user|communication_schema.chat_rooms|SELECT|connection_id,created_at,id,is_active,room_name,updated_at
rtc_user|communication_schema.message_read_status|SELECT|id,message_id,read_at,user_id
rtc_user|communication_schema.messages|SELECT|chat_room_id,client_message_id,content,created_at,id,is_deleted,is_edited,message_type,metadata,sender_user_id,updated_at
rtc_user|interaction_schema.blocks|SELECT|blocked_user_id,blocker_user_id,created_at
rtc_user|interaction_schema.call_signals|SELECT|created_at,id,interaction_id,kind,payload,sender_user_id
rtc_user|interaction_schema.connections|SELECT|connection_type,created_at,female_user_id,id,interaction_log_id,is_active,updated_at,user1_id,user2_id
rtc_user|interaction_schema.interaction_logs|SELECT|duration_seconds,ended_at,female_user_id,id,interaction_type,metadata,outcome,room_id,started_at,user1_id,user1_joined_at,user1_passed,user2_id,user2_joined_at,user2_passed
rtc_user|interaction_schema.queue_entries|SELECT|queued_at,session_id,user_id
rtc_user|interaction_schema.reports|SELECT|created_at,id,interaction_log_id,message_id,reason,reported_user_id,reporter_user_id,resolved_at,status
rtc_user|interaction_schema.video_requests|SELECT|approver_user_id,connection_id,expires_at,id,metadata,requested_at,requester_user_id,responded_at,status
rtc_user|user_schema.profiles|SELECT|age,created_at,display_name,id,intent,location_city,location_country,photos,preferences,short_bio,updated_at,user_id,videos
rtc_user|user_schema.profiles|UPDATE|age,display_name,intent,location_city,location_country,photos,preferences,short_bio,videos
rtc_user|user_schema.public_profiles|SELECT|age,display_name,intent,location_city,location_country,photos,short_bio,user_id,videos
rtc_user|user_schema.user_sessions|SELECT|created_at,expires_at,id,ip_address,socket_id,status,updated_at,user_agent,user_id
rtc_user|user_schema.users|SELECT|created_at,email_verified,id,is_active,last_login,role,updated_at,username
`.trim().split("\n");

const INTERNAL_FUNCTIONS = [
  "public.get_connection_partner(uuid, uuid)",
  "public.is_female_user(uuid)",
  "public.cleanup_expired_sessions()",
  "public.cleanup_old_interactions(integer)",
  "app_private.female_of_pair(uuid, uuid)",
  "app_private.create_session(uuid)",
  "app_private.create_admin(text, text, text)",
  "app_private.authenticate(text)",
  "app_private.queue_email(uuid, app_private.mail_template)",
  "app_private.queue_email_verification(uuid)",
  "app_private.issue_email_token(uuid, app_private.mail_template)",
  "app_private.create_match(uuid, uuid)",
  "app_private.log_event(analytics_schema.event_type, jsonb)",
  "app_private.refresh_daily_stats(date)",
];

test("row-level security is enabled on every table", async () => {
  const { rows } = await superuserPool().query(`
    select c.oid::regclass::text as name, c.relrowsecurity as rls
      from pg_class c
     where c.relkind in ('r', 'p') and c.relnamespace::regnamespace::text in ${OUR_SCHEMAS}`);
  expect(rows.filter((row) => !row.rls)).toEqual([]);
  expect(rows.length).toBe(22);
});

test("the API roles hold exactly the listed column privileges, and none on secrets", async () => {
  const { rows } = await superuserPool().query(`
    select concat_ws('|', grantee, table_schema || '.' || table_name, privilege_type, string_agg(column_name, ',' order by column_name)) as line
      from information_schema.column_privileges
     where grantee in ('rtc_visitor', 'rtc_user', 'rtc_admin', 'rtc_authenticator')
     group by grantee, table_schema, table_name, privilege_type
     order by 1`);
  expect(rows.map((row) => row.line)).toEqual(API_GRANTS);
  const tableGrants = await superuserPool().query(`
    select grantee, table_name, privilege_type from information_schema.table_privileges
     where grantee in ('rtc_visitor', 'rtc_user', 'rtc_admin', 'rtc_authenticator')
       and privilege_type not in ('SELECT', 'UPDATE')`);
  expect(tableGrants.rows).toEqual([]); // no INSERT, DELETE, TRUNCATE, REFERENCES or TRIGGER anywhere
});

/** Tables no API role may read at all. */
const CLOSED_TABLES = ["app_private.user_secrets", "app_private.live_call_participants", "app_private.login_throttles"];

test.each(API_ROLES)("%s can read none of the closed tables", async (role) => {
  for (const name of CLOSED_TABLES) {
    await withRollback(async (client) => {
      await actAs(client, { role });
      const error = await expectSqlError(client, `select * from ${name}`);
      expect({ name, code: error.code }).toEqual({ name, code: "42501" }); // insufficient_privilege
    });
  }
});

test.each(API_ROLES)("%s can call none of the internal functions", (role) =>
  withRollback(async (client) => {
    await actAs(client, { role });
    for (const fn of INTERNAL_FUNCTIONS) {
      const args = fn.replace(/^[^(]*\(|\)$/g, "").split(", ").filter(Boolean).map((type) => `null::${type}`);
      const error = await expectSqlError(client, `select ${fn.replace(/\(.*/, "")}(${args.join(", ")})`);
      expect({ fn, code: error.code }).toEqual({ fn, code: "42501" });
    }
  }));

test("the authenticator logs in but can do nothing until it switches role", async () => {
  const client = new pg.Client({ connectionString: testDatabaseUrls().authenticator });
  await client.connect();
  try {
    await expect(client.query("select * from user_schema.users")).rejects.toMatchObject({ code: "42501" });
    await expect(client.query("set role rtc_owner")).rejects.toMatchObject({ code: "42501" });
  } finally {
    await client.end();
  }
});
