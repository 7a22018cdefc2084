/**
 * Every object of the seed schema (the tables, constraints, indexes, triggers
 * and functions that migration 000001 starts from) exists as the seed defined
 * it, except where a rule of the README's "Data rules the seed schema lacked"
 * asks for a change; those changes are spelled out next to the seed text they
 * replace.
 */
import { superuserPool } from "../support/db.ts";

/** The seed's nine tables (later work adds tables of its own, not checked here). */
const SEED_TABLES = `'user_schema.users', 'user_schema.profiles', 'user_schema.user_sessions', 'interaction_schema.interaction_logs', 'interaction_schema.connections', 'interaction_schema.video_requests', 'communication_schema.chat_rooms', 'communication_schema.messages', 'communication_schema.message_read_status'`;
const SEED_SCHEMAS = ["user_schema", "interaction_schema", "communication_schema", "analytics_schema"];

async function rows(sql: string): Promise<string[]> {
  const result = await superuserPool().query<{ line: string }>(sql);
  return result.rows.map((row) => row.line);
}

/** The seed's columns: table | column | type | nullable | default. */
const SEED_COLUMNS = `
communication_schema.chat_rooms|id|uuid|NO|gen_random_uuid()
communication_schema.chat_rooms|connection_id|uuid|NO|
communication_schema.chat_rooms|room_name|character varying(255)|NO|
communication_schema.chat_rooms|is_active|boolean|YES|true
communication_schema.chat_rooms|created_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
communication_schema.chat_rooms|updated_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
communication_schema.message_read_status|id|uuid|NO|gen_random_uuid()
communication_schema.message_read_status|message_id|uuid|NO|
communication_schema.message_read_status|user_id|uuid|NO|
communication_schema.message_read_status|read_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
communication_schema.messages|id|uuid|NO|gen_random_uuid()
communication_schema.messages|chat_room_id|uuid|NO|
communication_schema.messages|sender_user_id|uuid|NO|
communication_schema.messages|content|text|NO|
communication_schema.messages|message_type|USER-DEFINED|YES|'text'::communication_schema.message_type
communication_schema.messages|metadata|jsonb|YES|'{}'::jsonb
communication_schema.messages|is_edited|boolean|YES|false
communication_schema.messages|is_deleted|boolean|YES|false
communication_schema.messages|created_at|timestamp with time zone|NO|CURRENT_TIMESTAMP
communication_schema.messages|updated_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
interaction_schema.connections|id|uuid|NO|gen_random_uuid()
interaction_schema.connections|user1_id|uuid|NO|
interaction_schema.connections|user2_id|uuid|NO|
interaction_schema.connections|interaction_log_id|uuid|NO|
interaction_schema.connections|female_user_id|uuid|NO|
interaction_schema.connections|connection_type|USER-DEFINED|YES|'chat_only'::interaction_schema.connection_type
interaction_schema.connections|is_active|boolean|YES|true
interaction_schema.connections|created_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
interaction_schema.connections|updated_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
interaction_schema.interaction_logs|id|uuid|NO|gen_random_uuid()
interaction_schema.interaction_logs|user1_id|uuid|NO|
interaction_schema.interaction_logs|user2_id|uuid|NO|
interaction_schema.interaction_logs|room_id|character varying(255)|NO|
interaction_schema.interaction_logs|interaction_type|USER-DEFINED|YES|'voice_call'::interaction_schema.interaction_type
interaction_schema.interaction_logs|started_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
interaction_schema.interaction_logs|ended_at|timestamp with time zone|YES|
interaction_schema.interaction_logs|duration_seconds|integer|YES|0
interaction_schema.interaction_logs|outcome|USER-DEFINED|YES|'no_action'::interaction_schema.call_outcome
interaction_schema.interaction_logs|female_user_id|uuid|YES|
interaction_schema.interaction_logs|metadata|jsonb|YES|'{}'::jsonb
interaction_schema.video_requests|id|uuid|NO|gen_random_uuid()
interaction_schema.video_requests|connection_id|uuid|NO|
interaction_schema.video_requests|requester_user_id|uuid|NO|
interaction_schema.video_requests|approver_user_id|uuid|NO|
interaction_schema.video_requests|status|USER-DEFINED|YES|'pending'::interaction_schema.video_request_status
interaction_schema.video_requests|requested_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
interaction_schema.video_requests|responded_at|timestamp with time zone|YES|
interaction_schema.video_requests|expires_at|timestamp with time zone|YES|(CURRENT_TIMESTAMP + '24:00:00'::interval)
interaction_schema.video_requests|metadata|jsonb|YES|'{}'::jsonb
user_schema.profiles|id|uuid|NO|gen_random_uuid()
user_schema.profiles|user_id|uuid|NO|
user_schema.profiles|display_name|text|NO|
user_schema.profiles|short_bio|text|YES|
user_schema.profiles|photos|jsonb|YES|'[]'::jsonb
user_schema.profiles|videos|jsonb|YES|'[]'::jsonb
user_schema.profiles|intent|USER-DEFINED|NO|'casual'::user_schema.intent
user_schema.profiles|age|integer|YES|
user_schema.profiles|location_city|text|YES|
user_schema.profiles|location_country|text|YES|
user_schema.profiles|preferences|jsonb|YES|'{}'::jsonb
user_schema.profiles|created_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
user_schema.profiles|updated_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
user_schema.user_sessions|id|uuid|NO|gen_random_uuid()
user_schema.user_sessions|user_id|uuid|NO|
user_schema.user_sessions|socket_id|character varying(255)|YES|
user_schema.user_sessions|status|USER-DEFINED|YES|'offline'::user_schema.device_status
user_schema.user_sessions|ip_address|inet|YES|
user_schema.user_sessions|user_agent|text|YES|
user_schema.user_sessions|created_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
user_schema.user_sessions|updated_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
user_schema.user_sessions|expires_at|timestamp with time zone|YES|
user_schema.users|id|uuid|NO|gen_random_uuid()
user_schema.users|username|character varying(50)|NO|
user_schema.users|email|character varying(255)|NO|
user_schema.users|password_hash|character varying(255)|NO|
user_schema.users|role|USER-DEFINED|NO|
user_schema.users|email_verified|boolean|YES|false
user_schema.users|is_active|boolean|YES|true
user_schema.users|created_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
user_schema.users|updated_at|timestamp with time zone|YES|CURRENT_TIMESTAMP
user_schema.users|last_login|timestamp with time zone|YES|
`;
// users.role had DEFAULT 'user', which its CHECK rejected; it has no default now.
// The seed's closed sets (varchar + CHECK listing the values) are enum types with the
// same values, so that the GraphQL API shows them as enums, for columns and function
// arguments alike (migration 000007); the CHECKs that listed the values went with them.
// messages.created_at is NOT NULL, so the API pages history by one tuple comparison (migration 000014).
// A profile's display name, city and country are text with a CHECK of the seed's limit of
// 100 characters (migration 000015), so that an overlong value names its field.
// users.email is unique among the accounts that verified it only (index users_verified_email_key,
// migration 000017): registering with an address that has an account must not tell.

/** Columns added to the seed's tables, and why. */
const ADDED_COLUMNS = `
user_schema.user_sessions|token_hash|bytea|NO|
user_schema.user_sessions|last_seen_at|timestamp with time zone|NO|now()
interaction_schema.interaction_logs|user1_joined_at|timestamp with time zone|YES|
interaction_schema.interaction_logs|user2_joined_at|timestamp with time zone|YES|
interaction_schema.interaction_logs|user1_passed|boolean|NO|false
interaction_schema.interaction_logs|user2_passed|boolean|NO|false
communication_schema.messages|client_message_id|uuid|YES|
user_schema.user_sessions|open_sockets|integer|NO|0
user_schema.user_sessions|sockets_closed_at|timestamp with time zone|YES|
`; // a session is a bearer token and a device's presence; calls' joins and passes (README "Calls"); a retried send stores one message (README "Chat"); a device's websockets (README "Failures and recovery")

/** The seed's constraints, by the names Postgres gives them, plus the fixes. */
const SEED_CONSTRAINTS = `
communication_schema.chat_rooms|chat_rooms_connection_id_fkey|FOREIGN KEY (connection_id) REFERENCES interaction_schema.connections(id) ON DELETE CASCADE
communication_schema.chat_rooms|chat_rooms_connection_id_key|UNIQUE (connection_id)
communication_schema.chat_rooms|chat_rooms_pkey|PRIMARY KEY (id)
communication_schema.message_read_status|message_read_status_message_id_fkey|FOREIGN KEY (message_id) REFERENCES communication_schema.messages(id) ON DELETE CASCADE
communication_schema.message_read_status|message_read_status_pkey|PRIMARY KEY (id)
communication_schema.message_read_status|message_read_status_user_id_fkey|FOREIGN KEY (user_id) REFERENCES user_schema.users(id) ON DELETE CASCADE
communication_schema.message_read_status|unique_user_message_read|UNIQUE (message_id, user_id)
communication_schema.messages|messages_chat_room_id_fkey|FOREIGN KEY (chat_room_id) REFERENCES communication_schema.chat_rooms(id) ON DELETE CASCADE
communication_schema.messages|messages_pkey|PRIMARY KEY (id)
communication_schema.messages|messages_sender_user_id_fkey|FOREIGN KEY (sender_user_id) REFERENCES user_schema.users(id) ON DELETE CASCADE
interaction_schema.connections|connections_female_is_participant|CHECK (((female_user_id = user1_id) OR (female_user_id = user2_id)))
interaction_schema.connections|connections_female_user_id_fkey|FOREIGN KEY (female_user_id) REFERENCES user_schema.users(id)
interaction_schema.connections|connections_interaction_log_id_fkey|FOREIGN KEY (interaction_log_id) REFERENCES interaction_schema.interaction_logs(id) ON DELETE CASCADE
interaction_schema.connections|connections_pair_in_canonical_order|CHECK ((user1_id < user2_id))
interaction_schema.connections|connections_pkey|PRIMARY KEY (id)
interaction_schema.connections|connections_user1_id_fkey|FOREIGN KEY (user1_id) REFERENCES user_schema.users(id) ON DELETE CASCADE
interaction_schema.connections|connections_user2_id_fkey|FOREIGN KEY (user2_id) REFERENCES user_schema.users(id) ON DELETE CASCADE
interaction_schema.connections|unique_user_connection|UNIQUE (user1_id, user2_id)
interaction_schema.interaction_logs|interaction_logs_duration_not_negative|CHECK ((duration_seconds >= 0))
interaction_schema.interaction_logs|interaction_logs_ends_after_start|CHECK ((ended_at >= started_at))
interaction_schema.interaction_logs|interaction_logs_female_is_participant|CHECK (((female_user_id = user1_id) OR (female_user_id = user2_id)))
interaction_schema.interaction_logs|interaction_logs_female_user_id_fkey|FOREIGN KEY (female_user_id) REFERENCES user_schema.users(id)
interaction_schema.interaction_logs|interaction_logs_participants_differ|CHECK ((user1_id <> user2_id))
interaction_schema.interaction_logs|interaction_logs_pkey|PRIMARY KEY (id)
interaction_schema.interaction_logs|interaction_logs_user1_id_fkey|FOREIGN KEY (user1_id) REFERENCES user_schema.users(id) ON DELETE CASCADE
interaction_schema.interaction_logs|interaction_logs_user2_id_fkey|FOREIGN KEY (user2_id) REFERENCES user_schema.users(id) ON DELETE CASCADE
interaction_schema.video_requests|video_requests_approver_user_id_fkey|FOREIGN KEY (approver_user_id) REFERENCES user_schema.users(id) ON DELETE CASCADE
interaction_schema.video_requests|video_requests_connection_id_fkey|FOREIGN KEY (connection_id) REFERENCES interaction_schema.connections(id) ON DELETE CASCADE
interaction_schema.video_requests|video_requests_pkey|PRIMARY KEY (id)
interaction_schema.video_requests|video_requests_requester_is_not_approver|CHECK ((requester_user_id <> approver_user_id))
interaction_schema.video_requests|video_requests_requester_user_id_fkey|FOREIGN KEY (requester_user_id) REFERENCES user_schema.users(id) ON DELETE CASCADE
user_schema.profiles|profiles_age_check|CHECK (((age >= 18) AND (age <= 100)))
user_schema.profiles|profiles_pkey|PRIMARY KEY (id)
user_schema.profiles|profiles_user_id_fkey|FOREIGN KEY (user_id) REFERENCES user_schema.users(id) ON DELETE CASCADE
user_schema.profiles|profiles_user_id_key|UNIQUE (user_id)
user_schema.user_sessions|user_sessions_pkey|PRIMARY KEY (id)
user_schema.user_sessions|user_sessions_user_id_fkey|FOREIGN KEY (user_id) REFERENCES user_schema.users(id) ON DELETE CASCADE
user_schema.users|users_pkey|PRIMARY KEY (id)
user_schema.users|users_username_key|UNIQUE (username)
`;

/** Constraints added to the seed's tables: input rules (README "Accounts and sessions", "Who sees what", "Chat"). */
const ADDED_CONSTRAINTS = `
communication_schema.messages|messages_content_1_to_4000_characters|CHECK ((is_deleted OR ((char_length(content) >= 1) AND (char_length(content) <= 4000))))
communication_schema.messages|messages_media_has_https_url|CHECK ((is_deleted OR (message_type = ANY (ARRAY['text'::communication_schema.message_type, 'system'::communication_schema.message_type])) OR ((metadata ->> 'url'::text) ~ '^https://[^[:space:]]+$'::text)))
communication_schema.messages|messages_metadata_object_at_most_2_kb|CHECK (((jsonb_typeof(metadata) = 'object'::text) AND (octet_length((metadata)::text) <= 2048)))
user_schema.profiles|profiles_photo_and_video_urls_at_most_2048_characters|CHECK ((app_private.urls_at_most(photos, 2048) AND app_private.urls_at_most(videos, 2048)))
user_schema.profiles|profiles_display_name_not_blank|CHECK (((length(btrim(display_name)) >= 1) AND (length(btrim(display_name)) <= 100)))
user_schema.profiles|profiles_display_name_at_most_100_characters|CHECK ((char_length(display_name) <= 100))
user_schema.profiles|profiles_location_city_at_most_100_characters|CHECK ((char_length(location_city) <= 100))
user_schema.profiles|profiles_location_country_at_most_100_characters|CHECK ((char_length(location_country) <= 100))
user_schema.profiles|profiles_photos_at_most_6_https_urls|CHECK (app_private.is_https_url_list(photos, 6))
user_schema.profiles|profiles_preferences_shape|CHECK (app_private.is_valid_match_preferences(preferences))
user_schema.profiles|profiles_short_bio_at_most_500_characters|CHECK ((length(short_bio) <= 500))
user_schema.profiles|profiles_videos_at_most_2_https_urls|CHECK (app_private.is_https_url_list(videos, 2))
user_schema.user_sessions|user_sessions_open_sockets_not_negative|CHECK ((open_sockets >= 0))
user_schema.user_sessions|user_sessions_token_hash_key|UNIQUE (token_hash)
user_schema.users|users_email_format|CHECK (app_private.is_valid_email((email)::text))
user_schema.users|users_username_format|CHECK (app_private.is_valid_username((username)::text))
`;

/**
 * Every index the seed names, and what became of it (rule 5 of that list): kept
 * as the seed wrote it, made partial, or dropped because a UNIQUE
 * constraint's index (or a composite index) already serves it.
 */
const SEED_INDEXES: Record<string, string | { droppedFor: string }> = {
  idx_users_email: { droppedFor: "users_email_lower" },
  idx_users_username: { droppedFor: "users_username_key" },
  idx_users_role: "btree (role)",
  idx_users_active: "btree (id) WHERE (is_active = false)",
  idx_users_created_at: "btree (created_at)",
  idx_profiles_user_id: { droppedFor: "profiles_user_id_key" },
  idx_profiles_intent: "btree (intent)",
  idx_profiles_age: "btree (age)",
  idx_profiles_location: "btree (location_city, location_country)",
  idx_profiles_updated_at: "btree (updated_at)",
  idx_sessions_user_id: "btree (user_id)",
  idx_sessions_socket_id: "btree (socket_id)",
  idx_sessions_status: "btree (status)",
  idx_sessions_expires_at: "btree (expires_at)",
  idx_interaction_logs_user1_id: { droppedFor: "idx_interaction_logs_users_composite" },
  idx_interaction_logs_user2_id: "btree (user2_id)",
  idx_interaction_logs_female_user_id: "btree (female_user_id)",
  idx_interaction_logs_room_id: "btree (room_id)",
  idx_interaction_logs_started_at: "btree (started_at)",
  idx_interaction_logs_outcome: "btree (outcome)",
  idx_interaction_logs_users_composite: "btree (user1_id, user2_id)",
  idx_connections_user1_id: { droppedFor: "unique_user_connection" },
  idx_connections_user2_id: "btree (user2_id)",
  idx_connections_female_user_id: "btree (female_user_id)",
  idx_connections_interaction_log_id: "btree (interaction_log_id)",
  idx_connections_active: "btree (user1_id, user2_id) WHERE is_active",
  idx_connections_created_at: "btree (created_at)",
  idx_video_requests_connection_id: "btree (connection_id)",
  idx_video_requests_requester: "btree (requester_user_id)",
  idx_video_requests_approver: "btree (approver_user_id)",
  idx_video_requests_status: "btree (status)",
  idx_video_requests_expires_at: "btree (expires_at)",
  idx_chat_rooms_connection_id: { droppedFor: "chat_rooms_connection_id_key" },
  idx_chat_rooms_room_name: "btree (room_name)",
  idx_chat_rooms_active: "btree (connection_id) WHERE is_active",
  idx_messages_chat_room_id: { droppedFor: "idx_messages_room_created_desc" },
  idx_messages_sender_user_id: "btree (sender_user_id)",
  idx_messages_deleted: "btree (chat_room_id) WHERE is_deleted",
  idx_messages_room_created_desc: "btree (chat_room_id, created_at DESC, id DESC)", // id: the tie-break of cursor pages (migration 000005)
  idx_message_read_status_message_id: { droppedFor: "unique_user_message_read" },
  idx_message_read_status_user_id: "btree (user_id)",
  idx_message_read_status_read_at: "btree (read_at)",
};

const SEED_TIMESTAMP_TRIGGERS = [
  "user_schema.users|update_users_timestamp",
  "user_schema.profiles|update_profiles_timestamp",
  "user_schema.user_sessions|update_sessions_timestamp",
  "interaction_schema.connections|update_connections_timestamp",
  "communication_schema.chat_rooms|update_chat_rooms_timestamp",
  "communication_schema.messages|update_messages_timestamp",
];

const SEED_FUNCTIONS = [
  "update_timestamp()|trigger",
  "get_connection_partner(input_user_id uuid, input_connection_id uuid)|uuid",
  "is_female_user(input_user_id uuid)|boolean",
  "cleanup_expired_sessions()|void",
  "cleanup_old_interactions(retention_days integer DEFAULT 365)|void",
];

const lines = (text: string) => text.trim().split("\n");
const merged = (...texts: string[]) => texts.flatMap(lines);

test("the seed's four schemas exist", async () => {
  expect(await rows(`select nspname as line from pg_namespace where nspname = any('{${SEED_SCHEMAS}}') order by 1`)).toEqual(
    [...SEED_SCHEMAS].sort(),
  );
});

test("every seed table has the seed's columns, types, nullability and defaults, plus the listed additions", async () => {
  const actual = await rows(`
    select concat_ws('|', table_schema || '.' || table_name, column_name,
                     data_type || coalesce('(' || character_maximum_length || ')', ''),
                     is_nullable, coalesce(column_default, '')) as line
      from information_schema.columns
     where table_schema in ('user_schema', 'interaction_schema', 'communication_schema')
       and table_schema || '.' || table_name in (${SEED_TABLES})
     order by table_schema, table_name, ordinal_position`);
  expect(actual.sort()).toEqual(merged(SEED_COLUMNS, ADDED_COLUMNS).sort());
});

test("every seed constraint exists, with the seed defects' fixes", async () => {
  // NOT NULL constraints (contype 'n', listed from PostgreSQL 18 on) are covered by the column test.
  const actual = await rows(`
    select concat_ws('|', conrelid::regclass::text, conname, pg_get_constraintdef(oid)) as line
      from pg_constraint
     where connamespace::regnamespace::text in ('user_schema', 'interaction_schema', 'communication_schema')
       and conrelid::regclass::text in (${SEED_TABLES})
       and contype <> 'n'
     order by conrelid::regclass::text, conname`);
  expect(actual.sort()).toEqual(merged(SEED_CONSTRAINTS, ADDED_CONSTRAINTS).sort());
});

test.each(Object.entries(SEED_INDEXES))("seed index %s exists as designed", async (name, design) => {
  const found = await rows(`select regexp_replace(indexdef, '^.* USING ', '') as line from pg_indexes where indexname = '${name}'`);
  if (typeof design === "string") {
    expect(found).toEqual([design]);
  } else {
    expect(found).toEqual([]);
    expect(await rows(`select indexname as line from pg_indexes where indexname = '${design.droppedFor}'`)).toEqual([design.droppedFor]);
  }
});

test("a verified email is unique ignoring case", async () => {
  expect(await rows(`select regexp_replace(indexdef, '^CREATE ', '') as line from pg_indexes where indexname = 'users_verified_email_key'`)).toEqual([
    "UNIQUE INDEX users_verified_email_key ON user_schema.users USING btree (lower((email)::text)) WHERE email_verified",
  ]);
});

test("the seed's timestamp triggers run update_timestamp() before each update", async () => {
  const actual = await rows(`
    select concat_ws('|', tgrelid::regclass::text, tgname) as line
      from pg_trigger
     where tgfoid = 'public.update_timestamp()'::regprocedure
       and tgtype = 1 + 2 + 16 -- FOR EACH ROW, BEFORE, UPDATE
     order by 1`);
  expect(actual).toEqual([...SEED_TIMESTAMP_TRIGGERS].sort());
});

test("the seed's functions exist with the seed's signatures", async () => {
  const actual = await rows(`
    select concat_ws('|', proname || '(' || pg_get_function_arguments(oid) || ')', pg_get_function_result(oid)) as line
      from pg_proc
     where pronamespace = 'public'::regnamespace
       and proname in ('update_timestamp', 'get_connection_partner', 'is_female_user', 'cleanup_expired_sessions', 'cleanup_old_interactions')
     order by 1`);
  expect(actual).toEqual([...SEED_FUNCTIONS].sort());
});

test("every table, column and function of ours is documented with COMMENT ON", async () => {
  const undocumented = await rows(`
    select c.oid::regclass::text as line
      from pg_class c
     where c.relnamespace::regnamespace::text in ('user_schema', 'interaction_schema', 'communication_schema', 'analytics_schema')
       and c.relkind in ('r', 'v', 'm', 'p')
       and obj_description(c.oid, 'pg_class') is null
    union all
    select a.attrelid::regclass::text || '.' || a.attname
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
     where c.relnamespace::regnamespace::text in ('user_schema', 'interaction_schema', 'communication_schema', 'analytics_schema')
       and c.relkind in ('r', 'v', 'm', 'p')
       and a.attnum > 0 and not a.attisdropped
       and col_description(a.attrelid, a.attnum) is null
    union all
    select p.oid::regprocedure::text
      from pg_proc p
     where p.pronamespace::regnamespace::text in ('public', 'app_private', 'user_schema', 'interaction_schema', 'communication_schema', 'analytics_schema')
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') -- extensions document themselves
       and obj_description(p.oid, 'pg_proc') is null`);
  expect(undocumented).toEqual([]);
});
