// `output: "standalone"` leaves .next/static and public/ out of .next/standalone:
// copy them beside server.js so `node .next/standalone/server.js` serves them.
import { cpSync, existsSync, rmSync } from "node:fs";

const standalone = ".next/standalone";
if (!existsSync(`${standalone}/server.js`)) {
  console.error("copy-static: no .next/standalone/server.js; did `next build` run?");
  process.exit(1);
}
for (const [from, to] of [
  [".next/static", `${standalone}/.next/static`],
  ["public", `${standalone}/public`],
]) {
  rmSync(to, { recursive: true, force: true });
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
