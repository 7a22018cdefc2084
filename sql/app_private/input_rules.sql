-- The input rules that CHECK constraints call (defined with the constraints,
-- in migration 000002). A constraint runs with the writer's privileges, so
-- every API role may execute these pure functions.

grant execute on function
    app_private.is_valid_username(text),
    app_private.is_valid_email(text),
    app_private.is_https_url_list(jsonb, integer),
    app_private.urls_at_most(jsonb, integer),
    app_private.is_valid_match_preferences(jsonb)
  to rtc_visitor, rtc_user, rtc_admin;
