/**
 * The one-time token in the newest queued mail of a template to an address,
 * read from graphile-worker's queue (what the mail would carry). The jobs
 * view hides payloads, hence the private table.
 */
import type pg from "pg";

export async function mailedToken(db: Pick<pg.ClientBase, "query">, email: string, template: "verify_email" | "password_reset"): Promise<string> {
  const { rows } = await db.query(
    `select j.payload->>'token' as token
       from graphile_worker._private_jobs j
       join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'send_email' and j.payload->>'to' = $1 and j.payload->>'template' = $2
      order by j.id desc limit 1`,
    [email, template],
  );
  if (!rows[0]) throw new Error(`no ${template} mail queued for ${email}`);
  return rows[0].token;
}

export async function mailRecipients(db: Pick<pg.ClientBase, "query">, template: string, candidates: string[]): Promise<string[]> {
  const { rows } = await db.query(
    `select distinct j.payload->>'to' as recipient
       from graphile_worker._private_jobs j
       join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'send_email' and j.payload->>'template' = $1 and j.payload->>'to' = any($2)
      order by 1`,
    [template, candidates],
  );
  return rows.map((row) => row.recipient);
}
