-- communication_schema.message_read_status: access.

alter table communication_schema.message_read_status enable row level security;
