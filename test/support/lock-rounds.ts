/**
 * Conflicting operations fired at the same moment, for the lock order
 * (sql/app_private/participants.sql): in each round two users reach a state
 * (in a call, queued, connected, video enabled), then two operations that
 * touch the same rows run at once, each on its own connection and in its own
 * transaction, as the client's role (a bearer token) or as the worker (the
 * owner). Every error must carry a documented R-code (a deadlock, 40P01, or
 * any other raw SQLSTATE is a failure), and the invariants must hold after.
 * Used by test/db/lock-order.test.ts (a few rounds) and test/bench/lock-order.ts
 * (many).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { projectRoot } from "../../src/config.ts";
import { actAsToken } from "./db.ts";
import { createPlayer, type Player } from "./players.ts";

interface Pair {
  male: Player;
  female: Player;
  callId?: string;
  connectionId?: string;
  videoRequestId?: string;
}

/** One side of a race: a statement as a player, or as the worker. */
interface Move {
  as: "male" | "female" | "worker";
  sql: string;
  values?: (pair: Pair) => unknown[];
}

interface Scenario {
  name: string;
  pairs?: number;
  prepare(db: Database, pair: Pair): Promise<void>;
  moves: [Move, Move];
}

export interface ScenarioResult {
  name: string;
  rounds: number;
  /** Errors by SQLSTATE (the documented rule codes included). */
  errors: Record<string, number>;
}

export interface LockRoundsReport {
  scenarios: ScenarioResult[];
  /** Errors whose SQLSTATE is not a documented R-code (a deadlock is 40P01), with the scenario. */
  undocumented: string[];
  /** Invariants broken after a round, with the scenario. */
  broken: string[];
}

export interface LockRoundsOptions {
  superuserUrl: string;
  ownerUrl: string;
  roundsPerScenario: number;
  /** Stop a scenario's rounds after this long, whatever the count. */
  msPerScenario: number;
}

const callSide = (pair: Pair) => [pair.callId];
const connectionSide = (pair: Pair) => [pair.connectionId];

const SCENARIOS: Scenario[] = [
  {
    name: "connect x block",
    prepare: (db, pair) => db.inCall(pair),
    moves: [
      { as: "female", sql: "select interaction_schema.connect($1)", values: callSide },
      { as: "male", sql: "select interaction_schema.block_user($1)", values: (pair) => [pair.female.id] },
    ],
  },
  {
    name: "end_call x logout",
    prepare: (db, pair) => db.inCall(pair),
    moves: [
      { as: "male", sql: "select interaction_schema.end_call($1)", values: callSide },
      { as: "female", sql: "select user_schema.logout()" },
    ],
  },
  {
    name: "presence sweep x end_call",
    prepare: async (db, pair) => {
      await db.inCall(pair);
      await db.staleDevice(pair.female);
    },
    moves: [
      { as: "worker", sql: "select app_private.sweep_stale_sessions()" },
      { as: "male", sql: "select interaction_schema.end_call($1)", values: callSide },
    ],
  },
  {
    name: "presence sweep x expire_overdue_calls",
    pairs: 2,
    prepare: async (db, pair) => {
      await db.inCall(pair);
      await db.overdue(pair);
      await db.staleDevice(pair.female);
    },
    moves: [
      { as: "worker", sql: "select app_private.sweep_stale_sessions()" },
      { as: "worker", sql: "select app_private.expire_overdue_calls()" },
    ],
  },
  {
    name: "end_call x expire_overdue_calls",
    prepare: async (db, pair) => {
      await db.inCall(pair);
      await db.overdue(pair);
    },
    moves: [
      { as: "female", sql: "select interaction_schema.end_call($1)", values: callSide },
      { as: "worker", sql: "select app_private.expire_overdue_calls()" },
    ],
  },
  {
    name: "logout x connect",
    prepare: (db, pair) => db.inCall(pair),
    moves: [
      { as: "male", sql: "select user_schema.logout()" },
      { as: "female", sql: "select interaction_schema.connect($1)", values: callSide },
    ],
  },
  {
    name: "request_video x unmatch",
    prepare: (db, pair) => db.connected(pair),
    moves: [
      { as: "male", sql: "select interaction_schema.request_video($1)", values: connectionSide },
      { as: "female", sql: "select interaction_schema.unmatch($1)", values: connectionSide },
    ],
  },
  {
    name: "answer_video_request x unmatch",
    prepare: async (db, pair) => {
      await db.connected(pair);
      pair.videoRequestId = await db.as(pair.male, "select (interaction_schema.request_video($1)).id", [pair.connectionId]);
    },
    moves: [
      { as: "female", sql: "select interaction_schema.answer_video_request($1, true)", values: (pair) => [pair.videoRequestId] },
      { as: "male", sql: "select interaction_schema.unmatch($1)", values: connectionSide },
    ],
  },
  {
    name: "start_video_call x start_video_call",
    prepare: (db, pair) => db.videoEnabled(pair),
    moves: [
      { as: "male", sql: "select interaction_schema.start_video_call($1)", values: connectionSide },
      { as: "female", sql: "select interaction_schema.start_video_call($1)", values: connectionSide },
    ],
  },
  {
    name: "start_video_call x block",
    prepare: (db, pair) => db.videoEnabled(pair),
    moves: [
      { as: "male", sql: "select interaction_schema.start_video_call($1)", values: connectionSide },
      { as: "female", sql: "select interaction_schema.block_user($1)", values: (pair) => [pair.male.id] },
    ],
  },
  {
    name: "create_match x block",
    prepare: (db, pair) => db.queued(pair),
    moves: [
      { as: "worker", sql: "select app_private.create_match($1, $2)", values: (pair) => [pair.male.id, pair.female.id] },
      { as: "female", sql: "select interaction_schema.block_user($1)", values: (pair) => [pair.male.id] },
    ],
  },
  {
    name: "create_match x logout",
    prepare: (db, pair) => db.queued(pair),
    moves: [
      { as: "worker", sql: "select app_private.create_match($1, $2)", values: (pair) => [pair.male.id, pair.female.id] },
      { as: "male", sql: "select user_schema.logout()" },
    ],
  },
];

/** Broken invariants: each query returns one row per violation. */
const INVARIANTS: Record<string, string> = {
  "nobody is in two live calls": `
    select u from (select user1_id as u from interaction_schema.interaction_logs where ended_at is null
                   union all select user2_id from interaction_schema.interaction_logs where ended_at is null) live
     group by u having count(*) > 1`,
  "live_call_participants lists exactly the live calls' users": `
    (select user1_id, id from interaction_schema.interaction_logs where ended_at is null
     union select user2_id, id from interaction_schema.interaction_logs where ended_at is null)
    except select user_id, interaction_id from app_private.live_call_participants`,
  "nobody is queued while in a call": `
    select q.user_id from interaction_schema.queue_entries q join app_private.live_call_participants p using (user_id)`,
  "a queued device is queuing": `
    select q.user_id from interaction_schema.queue_entries q join user_schema.user_sessions s on s.id = q.session_id
     where s.status <> 'queuing'`,
  "no live call or active connection between blocked users": `
    select 1 from interaction_schema.blocks b
      join interaction_schema.interaction_logs l
        on least(l.user1_id, l.user2_id) = least(b.blocker_user_id, b.blocked_user_id)
       and greatest(l.user1_id, l.user2_id) = greatest(b.blocker_user_id, b.blocked_user_id)
     where l.ended_at is null
    union all
    select 1 from interaction_schema.blocks b
      join interaction_schema.connections c
        on c.user1_id = least(b.blocker_user_id, b.blocked_user_id) and c.user2_id = greatest(b.blocker_user_id, b.blocked_user_id)
     where c.is_active`,
  "at most one pending video request per connection, none on an inactive one": `
    select v.connection_id from interaction_schema.video_requests v join interaction_schema.connections c on c.id = v.connection_id
     where v.status = 'pending' group by v.connection_id, c.is_active having count(*) > 1 or not c.is_active`,
};

/** Set-up statements, committed, on one connection. */
class Database {
  readonly superuser: pg.Client;
  readonly owner: pg.Client;

  constructor(superuser: pg.Client, owner: pg.Client) {
    this.superuser = superuser;
    this.owner = owner;
  }

  /** Runs `sql` as the player in its own committed transaction; returns the first column of the first row. */
  async as(player: Player, sql: string, values: unknown[] = []): Promise<any> {
    await this.superuser.query("begin");
    try {
      await actAsToken(this.superuser, player.token);
      const { rows } = await this.superuser.query(sql, values);
      await this.superuser.query("commit");
      return rows[0] && Object.values(rows[0])[0];
    } catch (error) {
      await this.superuser.query("rollback");
      throw error;
    }
  }

  async queued(pair: Pair): Promise<void> {
    await this.as(pair.male, "select interaction_schema.enter_queue()");
    await this.as(pair.female, "select interaction_schema.enter_queue()");
  }

  async inCall(pair: Pair): Promise<void> {
    await this.queued(pair);
    const { rows } = await this.owner.query("select app_private.create_match($1, $2) as id", [pair.male.id, pair.female.id]);
    pair.callId = rows[0].id;
    if (!pair.callId) throw new Error("the pair could not be matched");
  }

  async connected(pair: Pair): Promise<void> {
    await this.inCall(pair);
    pair.connectionId = await this.as(pair.female, "select (interaction_schema.connect($1)).id", [pair.callId]);
  }

  async videoEnabled(pair: Pair): Promise<void> {
    await this.connected(pair);
    await this.as(pair.male, "select interaction_schema.end_call($1)", [pair.callId]);
    const requestId = await this.as(pair.male, "select (interaction_schema.request_video($1)).id", [pair.connectionId]);
    await this.as(pair.female, "select interaction_schema.answer_video_request($1, true)", [requestId]);
  }

  async overdue(pair: Pair): Promise<void> {
    await this.superuser.query("update interaction_schema.interaction_logs set started_at = now() - interval '1 minute' where id = $1", [pair.callId]);
  }

  async staleDevice(player: Player): Promise<void> {
    await this.superuser.query("update user_schema.user_sessions set last_seen_at = now() - interval '10 minutes' where user_id = $1", [player.id]);
  }
}

async function documentedCodes(): Promise<Set<string>> {
  const readme = await readFile(path.join(projectRoot, "README.md"), "utf8");
  return new Set([...readme.matchAll(/`(R[0-9A-Z]{4})`/g)].map((match) => match[1]!));
}

/** Opens a transaction as the move's side, ready to run its statement. */
async function ready(client: pg.Client, move: Move, pair: Pair): Promise<void> {
  await client.query("begin");
  if (move.as !== "worker") await actAsToken(client, pair[move.as].token);
}

/** Runs the move's statement and commits; returns the error, if any. */
async function go(client: pg.Client, move: Move, pair: Pair): Promise<pg.DatabaseError | null> {
  try {
    await client.query(move.sql, move.values?.(pair) ?? []);
    await client.query("commit");
    return null;
  } catch (error) {
    await client.query("rollback");
    return error as pg.DatabaseError;
  }
}

export async function runLockRounds(options: LockRoundsOptions): Promise<LockRoundsReport> {
  const connect = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  };
  const db = new Database(await connect(options.superuserUrl), await connect(options.ownerUrl));
  // Each side of a race has two connections: its own role's (a client's
  // statements run as the authenticator would switch to; the worker's as the owner).
  const clientSides = [await connect(options.superuserUrl), await connect(options.superuserUrl)];
  const workerSides = [await connect(options.ownerUrl), await connect(options.ownerUrl)];
  const codes = await documentedCodes();
  const report: LockRoundsReport = { scenarios: [], undocumented: [], broken: [] };
  const userIds: string[] = [];
  try {
    for (const scenario of SCENARIOS) {
      const result: ScenarioResult = { name: scenario.name, rounds: 0, errors: {} };
      const deadline = Date.now() + options.msPerScenario;
      while (result.rounds < options.roundsPerScenario && Date.now() < deadline) {
        const pairs: Pair[] = [];
        for (let n = 0; n < (scenario.pairs ?? 1); n++) {
          const pair = { male: await createPlayer(db.superuser, "male"), female: await createPlayer(db.superuser, "female") };
          userIds.push(pair.male.id, pair.female.id);
          await scenario.prepare(db, pair);
          pairs.push(pair);
        }
        const pair = pairs[0]!;
        const sides = scenario.moves.map((move, side) => (move.as === "worker" ? workerSides : clientSides)[side]!);
        await Promise.all(scenario.moves.map((move, side) => ready(sides[side]!, move, pair)));
        const outcomes = await Promise.all(scenario.moves.map((move, side) => go(sides[side]!, move, pair)));
        for (const error of outcomes) {
          if (error === null) continue;
          const code = error.code ?? "none";
          result.errors[code] = (result.errors[code] ?? 0) + 1;
          if (!codes.has(code)) report.undocumented.push(`${scenario.name}: ${code} ${error.message}`);
        }
        for (const [invariant, sql] of Object.entries(INVARIANTS)) {
          const { rowCount } = await db.superuser.query(sql);
          if (rowCount) report.broken.push(`${scenario.name}: ${invariant}`);
        }
        result.rounds++;
      }
      report.scenarios.push(result);
    }
  } finally {
    await db.superuser.query("delete from user_schema.users where id = any($1)", [userIds]);
    await Promise.all([db.superuser, db.owner, ...clientSides, ...workerSides].map((client) => client.end()));
  }
  return report;
}
