/** Every rule violation code the database raises is documented (README "Error codes"). */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { projectRoot } from "../../src/config.ts";

test("the README lists every R-code raised in sql/ and src/", async () => {
  const readme = await readFile(path.join(projectRoot, "README.md"), "utf8");
  const sources = [
    ...(await readdir(path.join(projectRoot, "sql"), { recursive: true })).filter((f) => f.endsWith(".sql")).map((f) => path.join("sql", f)),
    ...(await readdir(path.join(projectRoot, "src"), { recursive: true })).filter((f) => f.endsWith(".ts")).map((f) => path.join("src", f)),
  ];
  const raised = new Set<string>();
  for (const file of sources) {
    const text = await readFile(path.join(projectRoot, file), "utf8");
    // SQL: raise ... using errcode = 'R....'; TypeScript: SafeError extensions { code: "R...." }.
    for (const match of text.matchAll(/errcode = '(R[0-9A-Z]{4})'|code: "(R[0-9A-Z]{4})"/g)) raised.add((match[1] ?? match[2])!);
  }
  expect(raised.size).toBeGreaterThan(40);
  const undocumented = [...raised].filter((code) => !readme.includes(`\`${code}\``)).sort();
  expect(undocumented).toEqual([]);
});
