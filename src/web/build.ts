/**
 * Builds the web client (runs in Node, not in the browser): esbuild bundles
 * src/web/main.ts and its CSS into `outdir` beside index.html. `npm start`
 * builds into WEB_BUILD_DIR (git-ignored) before it serves; the browser tests
 * build into a folder of their own.
 */
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";
import { projectRoot } from "../config.ts";

const sourceDir = path.join(projectRoot, "src", "web");
export const WEB_BUILD_DIR = path.join(projectRoot, "dist", "web");

export async function buildWebClient(outdir: string = WEB_BUILD_DIR): Promise<string> {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [path.join(sourceDir, "main.ts")],
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome120", "firefox120", "safari17"],
    minify: true,
    sourcemap: true,
    logLevel: "warning",
  });
  await copyFile(path.join(sourceDir, "index.html"), path.join(outdir, "index.html"));
  return outdir;
}
