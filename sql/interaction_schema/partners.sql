-- The other side of a connection, as a client shows it: the partner's public
-- profile on Connection and ChatRoom (user1/user2 are ids in canonical order,
-- which says nothing about who is who),. A user's connections, whatever
-- their role, are Query.connections (row-level security keeps them to one's own).

create or replace function interaction_schema.connections_partner(connection interaction_schema.connections)
returns user_schema.public_profiles as $$
    select app_private.partner_profile(connection.user1_id, connection.user2_id);
$$ language sql stable;

comment on function interaction_schema.connections_partner(interaction_schema.connections) is
  'The other participant''s public profile.';

create or replace function communication_schema.chat_rooms_partner(room communication_schema.chat_rooms)
returns user_schema.public_profiles as $$
    select interaction_schema.connections_partner(c)
      from interaction_schema.connections c
     where c.id = room.connection_id;
$$ language sql stable;

comment on function communication_schema.chat_rooms_partner(communication_schema.chat_rooms) is
  'The other participant''s public profile.';

grant execute on function
    interaction_schema.connections_partner(interaction_schema.connections),
    communication_schema.chat_rooms_partner(communication_schema.chat_rooms)
  to rtc_user;
