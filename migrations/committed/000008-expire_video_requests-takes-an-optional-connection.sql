--! Previous: sha1:d8d780ab4b57d69e780e280a4988618b32214d34
--! Hash: sha1:60e10086488052c6db499fee14b1a61b076f930b
--! Message: expire_video_requests takes an optional connection

-- expire_video_requests() gains an optional connection (a user's request
-- expires only its own connection's requests): the old signature goes, so a
-- call without arguments is not ambiguous. sql/ creates the new one.
drop function if exists app_private.expire_video_requests();
