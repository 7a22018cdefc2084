/**
 * A partner who vanishes from a call: the websocket of the device in the call
 * closes and does not come back within the grace period (2 s here, set as
 * the database setting rtc.call_socket_grace): the call ends as on a timeout
 * and the other side hears it. A socket that comes back in time keeps the
 * call. And the presence sweep schedules itself every few seconds, so a lost
 * heartbeat does not wait for the minute's run.
 */
import pg from "pg";
import type { RegisteredUser } from "../support/api.ts";
import { superuserPool, testDatabaseUrls } from "../support/db.ts";
import { useLiveSystem } from "../support/live.ts";
import { waitFor } from "../support/processes.ts";
import type { EventStream } from "../support/ws.ts";

interface UserEvent {
  userEvents: { event: string; interaction: { rowId: string; outcome: string | null } | null };
}
const EVENTS = "subscription { userEvents { event interaction { rowId outcome } } }";
const ENTER_QUEUE = "mutation { enterQueue(input: {}) { result { queuedAt } } }";
const GRACE_SECONDS = 2;
const database = pg.escapeIdentifier(testDatabaseUrls().databaseName);

// Before the live system starts, so that its connections read the setting.
beforeAll(() => superuserPool().query(`alter database ${database} set rtc.call_socket_grace = '${GRACE_SECONDS} seconds'`));
afterAll(() => superuserPool().query(`alter database ${database} reset rtc.call_socket_grace`));

const live = useLiveSystem();
const is = (name: string) => (event: UserEvent) => event.userEvents.event === name;

/** A female and a male user in a call, each with their inbox open. */
async function pairInCall(): Promise<{ her: EventStream<UserEvent>; him: EventStream<UserEvent>; bob: RegisteredUser; callId: string }> {
  const [ann, bob] = [await live.user("female", { intent: "serious" }), await live.user("male", { intent: "serious" })];
  const [her, him] = await Promise.all([live.inbox<UserEvent>(EVENTS, ann), live.inbox<UserEvent>(EVENTS, bob)]);
  for (const user of [ann, bob]) await live.api.gql(ENTER_QUEUE, {}, user.token);
  const callId = (await her.next(is("matched"))).userEvents.interaction!.rowId;
  await him.next(is("matched"));
  return { her, him, bob, callId };
}

async function callEnded(callId: string): Promise<{ ended_at: Date | null; outcome: string | null }> {
  const { rows } = await superuserPool().query("select ended_at, outcome from interaction_schema.interaction_logs where id = $1", [callId]);
  return rows[0];
}

test("his websocket closes and stays away past the grace period: the call ends (timeout) and she is told", async () => {
  const { her, him, callId } = await pairInCall();
  const closedAt = Date.now();
  await him.close();
  const ended = await her.next(is("call_ended"), (GRACE_SECONDS + 8) * 1000);
  expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000);
  expect(ended.userEvents.interaction).toEqual({ rowId: callId, outcome: "timeout" });
});

test("a websocket that comes back within the grace period keeps the call", async () => {
  const { him, bob, callId } = await pairInCall();
  await him.close();
  await live.inbox<UserEvent>(EVENTS, bob);
  await new Promise((resolve) => setTimeout(resolve, (GRACE_SECONDS + 1.5) * 1000));
  expect((await callEnded(callId)).ended_at).toBeNull();
});

test("the presence sweep schedules its next run within seconds", async () => {
  await superuserPool().query("select app_private.add_job('sweep_presence', job_key := 'sweep_presence')");
  const next = await waitFor("the next sweep to be scheduled", async () => {
    const { rows } = await superuserPool().query<{ in_seconds: number }>(
      "select extract(epoch from run_at - now())::float as in_seconds from graphile_worker.jobs where key = 'sweep_presence' and locked_at is null and run_at > now()",
    );
    return rows[0];
  });
  expect(next.in_seconds).toBeLessThanOrEqual(5);
});
