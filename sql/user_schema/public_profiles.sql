-- The public profile: display name, bio,
-- photos, videos, intent, age, city and country of the users one is matched
-- with (a live call, or one that ended within the decision window) or
-- connected to. Nothing else of their profile (not their matching
-- preferences) and nothing of other users. The view runs with its owner's
-- rights over profiles and keeps the users of app_private.visible_user_ids();
-- the profiles table is the owner's own (and admins').

create or replace view user_schema.public_profiles with (security_barrier) as
    select p.user_id, p.display_name, p.short_bio, p.photos, p.videos, p.intent, p.age, p.location_city, p.location_country
      from app_private.visible_user_ids() as visible (user_id)
      join user_schema.profiles p on p.user_id = visible.user_id;

-- (The view used to test each row with can_see_user: drop it, now unused.)
drop function if exists app_private.can_see_user(uuid);

comment on view user_schema.public_profiles is E'@primaryKey user_id\n@behavior -insert -update -delete\nThe public profiles of the users you are matched or connected with (and your own).';
comment on column user_schema.public_profiles.user_id is 'The user.';
comment on column user_schema.public_profiles.display_name is 'Their display name.';
comment on column user_schema.public_profiles.short_bio is 'A few words about them.';
comment on column user_schema.public_profiles.photos is 'JSON array of https photo URLs.';
comment on column user_schema.public_profiles.videos is 'JSON array of https video URLs.';
comment on column user_schema.public_profiles.intent is 'What they are looking for.';
comment on column user_schema.public_profiles.age is 'Their age.';
comment on column user_schema.public_profiles.location_city is 'Their city.';
comment on column user_schema.public_profiles.location_country is 'Their country.';

-- (The presence of a profile moved here from profiles: drop the old field.)
drop function if exists user_schema.profiles_presence(user_schema.profiles);

drop function if exists user_schema.public_profiles_presence(user_schema.public_profiles);
create or replace function user_schema.public_profiles_presence(profile user_schema.public_profiles) returns user_schema.presence as $$
    select app_private.user_presence(profile.user_id);
$$ language sql stable;

comment on function user_schema.public_profiles_presence(user_schema.public_profiles) is
  'online, in-call or offline: the user''s presence, the best of their devices.';

create or replace function app_private.partner_profile(user1_id uuid, user2_id uuid) returns user_schema.public_profiles as $$
    select p.* from user_schema.public_profiles p
     where p.user_id = app_private.other_of_pair(user1_id, user2_id, app_private.current_user_id());
$$ language sql stable;

comment on function app_private.partner_profile(uuid, uuid) is
  'The public profile of the current user''s other half of a pair (a call''s or a connection''s user1_id and user2_id).';

grant execute on function app_private.partner_profile(uuid, uuid) to rtc_user;

grant select on user_schema.public_profiles to rtc_user;
grant execute on function user_schema.public_profiles_presence(user_schema.public_profiles) to rtc_user;
