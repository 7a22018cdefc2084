/**
 * Accounts end to end over real HTTP GraphQL with real bearer tokens: each
 * flow, and each refusal with its stable error code.
 */
import { deleteUsers, errorCodes, registerUser, startTestApi, type RegisteredUser, type TestApi } from "../support/api.ts";
import { superuserPool } from "../support/db.ts";
import { mailedToken } from "../support/mail.ts";
import { createSession, createUser } from "../support/factories.ts";

let api: TestApi;
const created: string[] = [];

async function register(role: "male" | "female", overrides: Record<string, unknown> = {}): Promise<RegisteredUser> {
  const user = await registerUser(api, role, overrides);
  created.push(user.username);
  return user;
}

const LOGIN = `mutation ($usernameOrEmail: String!, $password: String!) { login(input: { usernameOrEmail: $usernameOrEmail, password: $password }) { result } }`;
const ME = `{ currentUser { username email role emailVerified profile { displayName age intent } } }`;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await deleteUsers(created);
  await api.close();
});

const VERIFY = `mutation ($token: String!) { verifyEmail(input: { token: $token }) { result } }`;

test("register, read oneself, log in by the verified email, edit one's profile", async () => {
  const ann = await register("female", { displayName: "Ann", age: 27, intent: "friends" });
  const me = await api.gql(ME, {}, ann.token);
  expect(me).toEqual({
    data: { currentUser: { username: ann.username, email: ann.email, role: "female", emailVerified: false, profile: { displayName: "Ann", age: 27, intent: "friends" } } },
  });
  await api.gql(VERIFY, { token: await mailedToken(superuserPool(), ann.email, "verify_email") });

  const login = await api.gql(LOGIN, { usernameOrEmail: ann.email.toUpperCase(), password: ann.password });
  const token = login.data?.login.result;
  expect(token).toMatch(/^[0-9a-f]{64}$/);

  const edit = await api.gql(
    `mutation ($patch: ProfilePatch!) { updateProfileByUserId(input: { userId: $userId, patch: $patch }) { profile { shortBio locationCity preferences } } }`.replace(
      "$userId",
      JSON.stringify((await superuserPool().query("select id from user_schema.users where username = $1", [ann.username])).rows[0].id),
    ),
    { patch: { shortBio: "Hi there", locationCity: "Porto", preferences: { age_min: 25, age_max: 35 } } },
    token,
  );
  expect(edit).toEqual({ data: { updateProfileByUserId: { profile: { shortBio: "Hi there", locationCity: "Porto", preferences: { age_min: 25, age_max: 35 } } } } });
});

test("registration refusals carry their codes", async () => {
  const taken = await register("male");
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ username: taken.username }, "RTAKN"],
    [{ password: "short" }, "RPASS"],
    [{ age: 17 }, "R18UP"],
    [{ role: "admin" }, "RGEND"],
  ];
  for (const [overrides, code] of cases) {
    await expect(registerUser(api, "male", overrides)).rejects.toThrow(`"code":"${code}"`);
  }
});

test("registering with an email that has an account answers as for a new one; the owner is mailed", async () => {
  const owner = await register("female");
  await api.gql(VERIFY, { token: await mailedToken(superuserPool(), owner.email, "verify_email") });
  const newcomer = await register("male", { email: owner.email.toUpperCase() });
  const stranger = await register("male");
  const seen = async (user: RegisteredUser) => {
    const me = await api.gql<{ currentUser: { emailVerified: boolean } }>(`{ currentUser { emailVerified } }`, {}, user.token);
    const resend = await api.gql(`mutation { resendEmailVerification(input: {}) { result } }`, {}, user.token);
    return { token: /^[0-9a-f]{64}$/.test(user.token), me: me.data, resend: resend.data };
  };
  expect(await seen(newcomer)).toEqual(await seen(stranger));
  const queued = await superuserPool().query(
    `select j.payload->>'template' as template, j.payload->>'userId' = $1 as to_owner
       from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'send_email' and j.payload->>'userId' = any($2) and j.payload->>'template' = 'account_exists'`,
    [owner.id, [owner.id, newcomer.id]],
  );
  expect(queued.rows).toEqual([{ template: "account_exists", to_owner: true }]);
});

test("a wrong password and an unknown user get the same error; 5 failures lock the account", async () => {
  const bob = await register("male");
  const wrong = await api.gql(LOGIN, { usernameOrEmail: bob.username, password: "not the password" });
  const unknown = await api.gql(LOGIN, { usernameOrEmail: "no_such_user", password: "not the password" });
  expect(wrong.errors).toEqual(unknown.errors);
  expect(errorCodes(wrong)).toEqual(["RCRED"]);
  expect(wrong.errors?.[0]?.message).toBe("Incorrect username/email or password.");

  for (let attempt = 2; attempt <= 5; attempt++) {
    expect(errorCodes(await api.gql(LOGIN, { usernameOrEmail: bob.username, password: "not the password" }))).toEqual(["RCRED"]);
  }
  const locked = await api.gql(LOGIN, { usernameOrEmail: bob.username, password: bob.password });
  expect(errorCodes(locked)).toEqual(["RLOCK"]);

  // An unknown name answers the same way, lock included: nothing tells whether it exists.
  for (let attempt = 1; attempt <= 4; attempt++) await api.gql(LOGIN, { usernameOrEmail: "no_such_user", password: "not the password" });
  const unknownLocked = await api.gql(LOGIN, { usernameOrEmail: "no_such_user", password: "not the password" });
  expect(unknownLocked.errors).toEqual(locked.errors);
});

test("a logged-out token is refused; log out everywhere ends every device", async () => {
  const bob = await register("male");
  const second = (await api.gql(LOGIN, { usernameOrEmail: bob.username, password: bob.password })).data?.login.result;
  expect((await api.gql(`mutation { logout(input: {}) { result } }`, {}, bob.token)).data).toEqual({ logout: { result: true } });
  expect(errorCodes(await api.gql(ME, {}, bob.token))).toEqual(["RSESS"]);
  expect((await api.gql(ME, {}, second)).data?.currentUser.username).toBe(bob.username);

  await api.gql(`mutation { logoutEverywhere(input: {}) { result } }`, {}, second);
  expect(errorCodes(await api.gql(ME, {}, second))).toEqual(["RSESS"]);
  expect(errorCodes(await api.gql(ME, {}, "f".repeat(64)))).toEqual(["RSESS"]);
});

test("another user's account, email and profile stay invisible when not matched or connected", async () => {
  const [ann, bob] = [await register("female"), await register("male")];
  const annId = (await superuserPool().query("select id from user_schema.users where username = $1", [ann.username])).rows[0].id;
  const seen = await api.gql(
    `query ($id: UUID!) { user(rowId: $id) { email } profileByUserId(userId: $id) { displayName } users { nodes { username email } } profiles { nodes { userId } } }`,
    { id: annId },
    bob.token,
  );
  expect(seen.errors).toBeUndefined();
  expect(seen.data?.user).toBeNull();
  expect(seen.data?.profileByUserId).toBeNull();
  expect(seen.data?.users.nodes).toEqual([{ username: bob.username, email: bob.email }]);
  expect(seen.data?.profiles.nodes).toHaveLength(1);

  const edit = await api.gql(
    `mutation ($id: UUID!) { updateProfileByUserId(input: { userId: $id, patch: { shortBio: "hacked" } }) { profile { shortBio } } }`,
    { id: annId },
    bob.token,
  );
  expect(edit.data?.updateProfileByUserId?.profile ?? null).toBeNull();
  expect((await superuserPool().query("select short_bio from user_schema.profiles where user_id = $1", [annId])).rows[0].short_bio).toBeNull();
});

test("no password hash anywhere in the API, and no way to change one's role", async () => {
  const bob = await register("male");
  const introspection = await api.gql(`{ __schema { types { name fields { name } inputFields { name } } } }`, {}, bob.token);
  const names = JSON.stringify(introspection.data);
  expect(names).not.toMatch(/passwordHash|tokenHash/);
  expect(names).not.toMatch(/"updateUser|"createUser|"deleteUser"/);
  const promote = await api.gql(`mutation { updateUser(input: { rowId: "x", patch: { role: "admin" } }) { user { role } } }`, {}, bob.token);
  expect(promote.errors?.[0]?.message).toMatch(/Cannot query field "updateUser"/);
  const bobId = (await superuserPool().query("select id from user_schema.users where username = $1", [bob.username])).rows[0].id;
  const ban = await api.gql(`mutation ($id: UUID!) { setUserActive(input: { userId: $id, active: false }) { result } }`, { id: bobId }, bob.token);
  expect(errorCodes(ban)).toEqual(["RDENY"]);
});

test("verify the email and reset the password with the mailed tokens", async () => {
  const ann = await register("female");
  const verify = await api.gql(`mutation ($token: String!) { verifyEmail(input: { token: $token }) { result } }`, {
    token: await mailedToken(superuserPool(), ann.email, "verify_email"),
  });
  expect(verify.data).toEqual({ verifyEmail: { result: true } });
  expect((await api.gql(ME, {}, ann.token)).data?.currentUser.emailVerified).toBe(true);

  const request = `mutation ($email: String!) { requestPasswordReset(input: { email: $email }) { result } }`;
  expect((await api.gql(request, { email: ann.email })).data).toEqual({ requestPasswordReset: { result: true } });
  expect((await api.gql(request, { email: "nobody@example.com" })).data).toEqual({ requestPasswordReset: { result: true } });
  const token = await mailedToken(superuserPool(), ann.email, "password_reset");
  const reset = `mutation ($token: String!, $password: String!) { resetPassword(input: { token: $token, newPassword: $password }) { result } }`;
  expect((await api.gql(reset, { token, password: "my new password" })).data).toEqual({ resetPassword: { result: true } });
  expect(errorCodes(await api.gql(reset, { token, password: "my newer password" }))).toEqual(["RTOKN"]);
  expect((await api.gql(LOGIN, { usernameOrEmail: ann.username, password: "my new password" })).data?.login.result).toMatch(/^[0-9a-f]{64}$/);
});

test("change the password, then delete the account, both only with the right password", async () => {
  const ann = await register("female");
  const change = `mutation ($current: String!, $next: String!) { changePassword(input: { currentPassword: $current, newPassword: $next }) { result } }`;
  expect(errorCodes(await api.gql(change, { current: "not the password", next: "another long one" }, ann.token))).toEqual(["RCRED"]);
  expect((await api.gql(change, { current: ann.password, next: "another long one" }, ann.token)).data).toEqual({ changePassword: { result: true } });
  expect(errorCodes(await api.gql(LOGIN, { usernameOrEmail: ann.username, password: ann.password }))).toEqual(["RCRED"]);

  const remove = `mutation ($password: String!) { deleteAccount(input: { password: $password }) { result } }`;
  expect(errorCodes(await api.gql(remove, { password: ann.password }, ann.token))).toEqual(["RCRED"]);
  expect((await api.gql(remove, { password: "another long one" }, ann.token)).data).toEqual({ deleteAccount: { result: true } });
  // The API forgets the token when the database's announcement of the ended session arrives, a moment after the answer.
  let codes: Array<string | undefined> = [];
  for (let attempt = 0; attempt < 20 && codes[0] !== "RSESS"; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    codes = errorCodes(await api.gql(ME, {}, ann.token));
  }
  expect(codes).toEqual(["RSESS"]);
  expect((await superuserPool().query("select count(*)::int as n from user_schema.users where username = $1", [ann.username])).rows[0].n).toBe(0);
});

test("an admin lists users without emails and bans one, who is logged out and cannot log in", async () => {
  const bob = await register("male");
  const admin = await createUser(superuserPool(), "admin");
  created.push(admin.username);
  const adminToken = await createSession(superuserPool(), admin);
  const list = await api.gql(`{ users { totalCount nodes { username role isActive } } }`, {}, adminToken);
  expect(list.data?.users.nodes).toContainEqual({ username: bob.username, role: "male", isActive: true });
  // An admin reads their own email and nobody else's: null, not an error.
  const emails = await api.gql<{ users: { nodes: Array<{ username: string; email: string | null }> } }>(`{ users { nodes { username email } } }`, {}, adminToken);
  expect(emails.errors).toBeUndefined();
  expect(emails.data!.users.nodes.filter((user) => user.email !== null)).toEqual([{ username: admin.username, email: `${admin.username}@example.com` }]);

  const bobId = (await superuserPool().query("select id from user_schema.users where username = $1", [bob.username])).rows[0].id;
  const ban = await api.gql(`mutation ($id: UUID!) { setUserActive(input: { userId: $id, active: false }) { result } }`, { id: bobId }, adminToken);
  expect(ban.data).toEqual({ setUserActive: { result: false } });
  expect(errorCodes(await api.gql(ME, {}, bob.token))).toEqual(["RSESS"]);
  expect(errorCodes(await api.gql(LOGIN, { usernameOrEmail: bob.username, password: bob.password }))).toEqual(["RDEAC"]);
});
