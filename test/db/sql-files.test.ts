/** Every re-runnable definition in sql/ is applied: .gmrc lists each file once. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { projectRoot } from "../../src/config.ts";

test(".gmrc applies every file of sql/ (but the cluster roles, run by db:setup), once", async () => {
  const gmrc = await readFile(path.join(projectRoot, ".gmrc"), "utf8");
  const listed = [...gmrc.matchAll(/"file": "\.\.\/sql\/([^"]+)"/g)].map((match) => match[1]!);
  const files = (await readdir(path.join(projectRoot, "sql"), { recursive: true }))
    .filter((file) => file.endsWith(".sql") && !file.startsWith("cluster/"))
    .sort();
  expect([...listed].sort()).toEqual(files);
  expect(new Set(listed).size).toBe(listed.length);
});
