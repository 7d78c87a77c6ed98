// Builds Harbour's front-end assets from the npm packages into var/assets (or $HARBOUR_ASSETS_DIR).
// Nothing built is committed: `npm ci && npm run build` at set-up; Django serves the result as static
// files (settings.ASSETS_DIR is in STATICFILES_DIRS). Run from anywhere; paths are relative to the repo.
//
// Output:
//   harbour.css                       frontend/harbour.scss compiled (GOV.UK + MOJ Frontend + ours)
//   harbour.js                        frontend/harbour.js, the one script pages load (an ES module)
//   govuk-frontend.min.js (+ .map)    imported by harbour.js
//   moj-frontend.min.js (+ .map)      imported by harbour.js
//   htmx.min.js, cytoscape.min.js     for pages that need them
//   assets/{fonts,images,rebrand,manifest.json}   GOV.UK and MOJ fonts and images, referenced by harbour.css

import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const target = resolve(root, process.env.HARBOUR_ASSETS_DIR || join("var", "assets"));
// Built beside the target and swapped in at the end, so a running server (or a second build started
// at the same time) never sees a half-built or empty assets folder.
const out = `${target}.building-${process.pid}`;
const govuk = join(modules, "govuk-frontend", "dist", "govuk");
const moj = join(modules, "@ministryofjustice", "frontend", "moj");

function need(path) {
  if (!existsSync(path)) {
    throw new Error(`Missing ${path}: run \`npm ci\` first.`);
  }
  return path;
}

function copy(from, to, { optional = false } = {}) {
  if (!existsSync(from)) {
    if (optional) return false;
    need(from);
  }
  cpSync(from, join(out, to), { recursive: true });
  return true;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
process.on("exit", (code) => {
  if (code !== 0) rmSync(out, { recursive: true, force: true });
});

// 1. Styles. Warnings raised wholly inside the packages (MOJ Frontend calling GOV.UK mixins that
// GOV.UK has deprecated) are not ours to fix: they are counted, not printed. Any warning that
// our own Sass triggers is printed. HARBOUR_SASS_VERBOSE=1 prints them all.
let packageWarnings = 0;
const verbose = process.env.HARBOUR_SASS_VERBOSE === "1";
const logger = {
  warn(message, { deprecation, span, stack }) {
    const frames = (stack || "").split("\n").filter((line) => line.trim() && !/root stylesheet\s*$/.test(line));
    const fromPackages = frames.length > 0 && frames.every((line) => line.includes("node_modules/"));
    if (fromPackages && !verbose) {
      packageWarnings += 1;
      return;
    }
    const where = span ? `${span.url ? fileURLToPath(span.url) : "?"}:${span.start.line + 1}` : "";
    console.warn(`Sass ${deprecation ? "deprecation " : ""}warning: ${message}\n  ${where}\n${stack || ""}`);
  },
};
const css = sass.compile(join(root, "frontend", "harbour.scss"), {
  style: "compressed",
  loadPaths: [root, modules],
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  logger,
  sourceMap: false,
});
if (packageWarnings) {
  console.log(`(${packageWarnings} Sass warning(s) from inside the npm packages not shown; HARBOUR_SASS_VERBOSE=1 shows them)`);
}
writeFileSync(join(out, "harbour.css"), css.css);

// 2. Scripts: ours, and the packages' ES module builds it imports.
copy(join(root, "frontend", "harbour.js"), "harbour.js");
copy(join(govuk, "govuk-frontend.min.js"), "govuk-frontend.min.js");
copy(join(govuk, "govuk-frontend.min.js.map"), "govuk-frontend.min.js.map", { optional: true });
copy(join(moj, "moj-frontend.min.js"), "moj-frontend.min.js");
copy(join(moj, "moj-frontend.min.js.map"), "moj-frontend.min.js.map", { optional: true });
copy(join(modules, "htmx.org", "dist", "htmx.min.js"), "htmx.min.js");
copy(join(modules, "cytoscape", "dist", "cytoscape.min.js"), "cytoscape.min.js");

// 3. Fonts and images. MOJ's images go beside GOV.UK's: both packages read them from one images path.
copy(join(govuk, "assets", "fonts"), join("assets", "fonts"));
copy(join(govuk, "assets", "images"), join("assets", "images"));
copy(join(govuk, "assets", "rebrand"), join("assets", "rebrand"), { optional: true });
copy(join(govuk, "assets", "manifest.json"), join("assets", "manifest.json"), { optional: true });
copy(join(moj, "assets", "images"), join("assets", "images"));
copy(join(root, "frontend", "images"), join("assets", "images"), { optional: true });

const versions = Object.fromEntries(
  ["govuk-frontend", "@ministryofjustice/frontend", "htmx.org", "cytoscape"].map((name) => [
    name,
    JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version,
  ]),
);
writeFileSync(join(out, "versions.json"), JSON.stringify(versions, null, 2) + "\n");

const old = `${target}.old-${process.pid}`;
if (existsSync(target)) renameSync(target, old);
renameSync(out, target);
rmSync(old, { recursive: true, force: true });
console.log(`Built Harbour assets into ${target} (${Math.round(css.css.length / 1024)} KiB of CSS)`, versions);
