--! Previous: sha1:bca2e1df08fe4b35856ee2d9836620f1ee9ff565
--! Hash: sha1:ff69663b33ddd6f41be10c329263c5c388a9efce
--! Message: Bounded sizes: message metadata and profile URL lengths

--------------------------------------------------------------------------------
-- Bounded sizes: every text and jsonb a client writes has a limit here. The
-- remaining ones were a message's metadata and the length of each profile
-- photo or video URL.
--------------------------------------------------------------------------------

create or replace function app_private.urls_at_most(urls jsonb, max_characters integer) returns boolean as $$
    select coalesce(bool_and(char_length(url) <= max_characters), true)
      from jsonb_array_elements_text(case when jsonb_typeof(urls) = 'array' then urls else '[]' end) as url;
$$ language sql immutable strict;
comment on function app_private.urls_at_most(jsonb, integer) is
  'True when every URL of a JSON array has at most max_characters characters.';

alter table user_schema.profiles
    add constraint profiles_photo_and_video_urls_at_most_2048_characters
        check (app_private.urls_at_most(photos, 2048) and app_private.urls_at_most(videos, 2048));

alter table communication_schema.messages
    add constraint messages_metadata_object_at_most_2_kb
        check (jsonb_typeof(metadata) = 'object' and octet_length(metadata::text) <= 2048);
