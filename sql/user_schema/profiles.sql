-- user_schema.profiles: triggers and access.

comment on table user_schema.profiles is E'@behavior -insert -delete\nYour profile (one per user). Others see its public part (publicProfile) while matched or connected with you.';

create or replace trigger update_profiles_timestamp
    before update on user_schema.profiles
    for each row execute function public.update_timestamp();

-- Row-level security: a user reads and edits their own profile (never its
-- user_id); admins read all. Others see the public part of it, while matched
-- or connected, through user_schema.public_profiles.
alter table user_schema.profiles enable row level security;

drop policy if exists select_visible on user_schema.profiles;
drop policy if exists select_own on user_schema.profiles;
create policy select_own on user_schema.profiles for select to rtc_user
    using (user_id = (select app_private.current_user_id()));

drop policy if exists update_own on user_schema.profiles;
create policy update_own on user_schema.profiles for update to rtc_user
    using (user_id = (select app_private.current_user_id()));

drop policy if exists select_all_as_admin on user_schema.profiles;
create policy select_all_as_admin on user_schema.profiles for select to rtc_admin
    using (true);

grant select on user_schema.profiles to rtc_user, rtc_admin;
grant update (display_name, short_bio, photos, videos, intent, age, location_city, location_country, preferences)
    on user_schema.profiles to rtc_user;

-- What the constraint asks, for the API's error message (src/server/errors.ts).
comment on constraint profiles_photo_and_video_urls_at_most_2048_characters on user_schema.profiles is 'each photo or video URL has at most 2048 characters';
