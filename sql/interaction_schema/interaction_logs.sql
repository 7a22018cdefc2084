-- interaction_schema.interaction_logs: triggers and access.

create or replace trigger interaction_logs_female_participant
    before insert or update of user1_id, user2_id, female_user_id on interaction_schema.interaction_logs
    for each row execute function app_private.tg__check_female_participant();

alter table interaction_schema.interaction_logs enable row level security;
