-- The private tables: no API role may touch them (no grants, RLS on).

alter table app_private.user_secrets enable row level security;
alter table app_private.live_call_participants enable row level security;
alter table app_private.login_throttles enable row level security;
alter table app_private.rate_limit_counters enable row level security;
alter table app_private.rate_limit_overrides enable row level security;
alter table app_private.password_reset_tokens enable row level security;
