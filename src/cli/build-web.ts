/** `npm run build:web`: rebuilds the web client into dist/web (a running `npm start` serves the new files at once). */
import { buildWebClient } from "../web/build.ts";

console.log(`Built the web client into ${await buildWebClient()}.`);
