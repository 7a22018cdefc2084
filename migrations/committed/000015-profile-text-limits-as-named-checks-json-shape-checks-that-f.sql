--! Previous: sha1:bbc301bb982805cc695b03befc2c215a44a22e4c
--! Hash: sha1:abeb392c4b2f92452b6d4abc644ac1d528e0f4d1
--! Message: Profile text limits as named CHECKs, JSON shape checks that fail with false, constraint comments for error messages

--------------------------------------------------------------------------------
-- Errors that name their field. A profile's display name, city and country
-- were varchar(100): an overlong value failed with "value too long for type
-- character varying(100)" (22001), which names no column, so the API could not
-- tell the client which field broke the rule. As text with a CHECK of the same
-- limit, the violation names its constraint, hence its column.
--------------------------------------------------------------------------------

-- The view reads these columns; sql/ re-creates it.
drop view if exists user_schema.public_profiles cascade;

alter table user_schema.profiles
    alter column display_name type text,
    alter column location_city type text,
    alter column location_country type text,
    add constraint profiles_display_name_at_most_100_characters check (char_length(display_name) <= 100),
    add constraint profiles_location_city_at_most_100_characters check (char_length(location_city) <= 100),
    add constraint profiles_location_country_at_most_100_characters check (char_length(location_country) <= 100);

-- A JSON value of the wrong shape (a string where an array or object belongs)
-- made these checks fail with an error of their own instead of false: each
-- test now runs only once the shape is right.
create or replace function app_private.is_https_url_list(urls jsonb, max_items integer) returns boolean as $$
    select case when jsonb_typeof(urls) <> 'array' then false
                else jsonb_array_length(urls) <= max_items
                     and not jsonb_path_exists(urls, '$[*] ? (@.type() != "string" || !(@ like_regex "^https://[^[:space:]]+$"))')
           end;
$$ language sql immutable strict;

create or replace function app_private.is_valid_match_preferences(preferences jsonb) returns boolean as $$
    select case when jsonb_typeof(preferences) <> 'object' then false
                when (preferences - array['age_min', 'age_max', 'same_country_only']) <> '{}'::jsonb then false
                when not jsonb_path_exists(preferences, '$ ? (
                         (!exists(@.age_min) || (@.age_min.type() == "number" && @.age_min >= 18 && @.age_min <= 100 && @.age_min == @.age_min.floor()))
                      && (!exists(@.age_max) || (@.age_max.type() == "number" && @.age_max >= 18 && @.age_max <= 100 && @.age_max == @.age_max.floor()))
                      && (!exists(@.same_country_only) || @.same_country_only.type() == "boolean"))') then false
                else coalesce((preferences ->> 'age_min')::numeric <= (preferences ->> 'age_max')::numeric, true)
           end;
$$ language sql immutable strict;

-- What each constraint a client can break asks, in words: the API's error
-- message is the field's GraphQL name followed by this (src/server/errors.ts),
-- or this alone when the constraint spans several columns.
comment on constraint profiles_display_name_not_blank on user_schema.profiles is 'must have 1 to 100 characters, not only spaces';
comment on constraint profiles_display_name_at_most_100_characters on user_schema.profiles is 'must have at most 100 characters';
comment on constraint profiles_location_city_at_most_100_characters on user_schema.profiles is 'must have at most 100 characters';
comment on constraint profiles_location_country_at_most_100_characters on user_schema.profiles is 'must have at most 100 characters';
comment on constraint profiles_short_bio_at_most_500_characters on user_schema.profiles is 'must have at most 500 characters';
comment on constraint profiles_photos_at_most_6_https_urls on user_schema.profiles is 'must be a JSON array of at most 6 https URLs';
comment on constraint profiles_videos_at_most_2_https_urls on user_schema.profiles is 'must be a JSON array of at most 2 https URLs';
comment on constraint profiles_preferences_shape on user_schema.profiles is 'must be a JSON object with optional age_min and age_max (whole years, 18 to 100, age_min <= age_max) and same_country_only (true or false), and no other keys';
comment on constraint profiles_age_check on user_schema.profiles is 'must be between 18 and 100';
comment on constraint messages_content_1_to_4000_characters on communication_schema.messages is 'must have 1 to 4000 characters';
comment on constraint messages_media_has_https_url on communication_schema.messages is 'an image, video or voice message needs an https URL in metadata.url';
comment on constraint reports_reason_1_to_1000_characters on interaction_schema.reports is 'must have 1 to 1000 characters';
comment on constraint call_signals_payload_at_most_64_kb on interaction_schema.call_signals is 'must be at most 64 KB of JSON';
