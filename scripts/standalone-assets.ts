// `npm run build` runs this after `next build`. Next.js leaves the static files out of its
// standalone output (.next/standalone) and expects a CDN or a copy step; without them the
// standalone server answers every /_next/static request with a 404 and the pages run unstyled,
// without scripts. Copied here, `node .next/standalone/server.js` serves the app as built.
import { cpSync, existsSync } from "node:fs";

const standalone = ".next/standalone";

if (existsSync(standalone)) {
  cpSync(".next/static", `${standalone}/.next/static`, { recursive: true });
  if (existsSync("public")) cpSync("public", `${standalone}/public`, { recursive: true });
  console.log(`Copied .next/static${existsSync("public") ? " and public/" : ""} into ${standalone}.`);
}
