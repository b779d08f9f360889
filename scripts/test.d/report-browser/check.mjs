// Opens HTML reports of `exchange-auth-lint check --format html` in Debian's
// Chromium (playwright-core, no browser download) and checks what a reader
// gets: no console error, no request but the page itself, every finding of
// the JSON report on the page, the timeline drawn, the headings and table
// headers, the print to A4. Prints one "ok - …" / "not ok - …" line per
// check; the calling suite counts them.
//
//   node check.mjs --findings findings.json --out DIR [--readme-screenshot PNG] en=report.html ja=report.ja.html

import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [value] = args.splice(i, 2).slice(1);
  return value;
};
const findingsFile = opt("--findings");
const outDir = opt("--out");
const readmeShot = opt("--readme-screenshot");
const reports = args.map((a) => {
  const [lang, file] = a.split("=");
  return { lang, file: resolve(file) };
});
if (!findingsFile || !outDir || reports.length === 0) {
  console.error("usage: check.mjs --findings FILE --out DIR [--readme-screenshot PNG] LANG=HTML…");
  process.exit(2);
}
const findings = JSON.parse(readFileSync(findingsFile, "utf8")).findings;

let failed = 0;
const ok = (name) => console.log(`ok - ${name}`);
const notOk = (name, detail) => {
  failed++;
  console.log(`not ok - ${name}`);
  if (detail) console.log(String(detail).replace(/^/gm, "#   "));
};
const check = (name, pass, detail) => (pass ? ok(name) : notOk(name, detail));
// A check that must not throw.
async function attempt(name, fn) {
  try {
    const detail = await fn();
    if (detail) notOk(name, detail);
    else ok(name);
  } catch (e) {
    notOk(name, e && e.stack ? e.stack : e);
  }
}

// Chromium's own background traffic (updates, sync, field trials) has no
// network to reach here: these switches keep it quiet. A fresh profile per run.
const profile = mkdtempSync(join(tmpdir(), "eal-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1280, height: 900 },
  deviceScaleFactor: 1,
  offline: true,
});
context.setDefaultTimeout(15000);

try {
  for (const { lang, file } of reports) {
    const url = pathToFileURL(file).href;
    const page = await context.newPage();
    const requests = [];
    const consoleErrors = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));

    await attempt(`${lang}: the report opens from file://`, async () => {
      const response = await page.goto(url, { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready);
      if (!response || !response.ok()) return `response: ${response && response.status()}`;
    });
    // Let anything late (a lazy image, a font) show itself.
    await page.waitForTimeout(300);

    // Everything the page shows, as a reader (and a screen reader) gets it.
    const dom = await page.evaluate(() => {
      const box = (el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height, cx: r.x + r.width / 2 };
      };
      const svg = document.querySelector("figure svg");
      return {
        lang: document.documentElement.getAttribute("lang"),
        text: document.body.innerText,
        h1: document.querySelectorAll("h1").length,
        headings: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1])),
        tables: [...document.querySelectorAll("table")].map((t) => ({
          th: t.querySelectorAll("thead th").length,
          rows: t.querySelectorAll("tbody tr").length,
          rowsWithHeader: t.querySelectorAll("tbody tr > th").length,
        })),
        // Only what is drawn: a hidden element's innerText is its textContent.
        articles: [...document.querySelectorAll("article.finding")].filter((a) => a.getClientRects().length > 0 && getComputedStyle(a).visibility === "visible").map((a) => a.innerText),
        svg: svg && {
          box: box(svg),
          name: svg.getAttribute("role") === "img" && svg.querySelector("title")?.textContent,
          events: [...svg.querySelectorAll("g.event")].map((g) => ({ date: g.dataset.date, box: box(g.querySelector("path")), label: box(g.querySelector("text")) })),
          asOf: [...svg.querySelectorAll("g.as-of")].map((g) => ({ date: g.dataset.date, box: box(g.querySelector("line")), label: box(g.querySelector("text")), text: g.querySelector("text").textContent })),
          marks: [...svg.querySelectorAll("g.mark")].map((g) => ({
            rule: g.dataset.rule,
            count: Number(g.dataset.count),
            date: g.dataset.date,
            box: box(g.querySelector("circle")),
            label: box(g.querySelector("text")),
          })),
        },
        wide: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
        // Content that sticks out of its box (a long word in a table cell).
        spill: [...document.querySelectorAll("body *")]
          .filter((el) => !(el instanceof SVGElement) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !/auto|scroll/.test(getComputedStyle(el).overflowX))
          .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class")}: ${el.textContent.slice(0, 60)}`),
      };
    });

    // 1. No console error, no request.
    check(`${lang}: no console error or warning`, consoleErrors.length === 0, consoleErrors.join("\n"));
    const others = requests.filter((r) => r !== url);
    check(`${lang}: no network request (only the page itself: ${requests.length} request)`, others.length === 0 && requests.length <= 1, others.join("\n"));

    // 2. Every finding of the JSON report, in its own article.
    const missing = findings.filter((f) => {
      const place = `${f.path}:${f.line}`;
      return !dom.articles.some((a) => a.includes(f.rule) && a.includes(place));
    });
    check(
      `${lang}: the page shows all ${findings.length} findings of --format json (rule, file, line)`,
      missing.length === 0 && dom.articles.length === findings.length,
      `${dom.articles.length} articles; missing: ${missing.map((f) => `${f.rule} ${f.path}:${f.line}`).join(", ")}`,
    );

    // 3. The timeline.
    const svg = dom.svg;
    check(`${lang}: the timeline is drawn (an SVG with a size and a name)`, svg && svg.box.w > 300 && svg.box.h > 100 && svg.name, JSON.stringify(svg && svg.box));
    if (svg) {
      const inside = (b) => b.w > 0 && b.h > 0 && b.x >= svg.box.x - 0.5 && b.x + b.w <= svg.box.x + svg.box.w + 0.5 && b.y >= svg.box.y - 0.5 && b.y + b.h <= svg.box.y + svg.box.h + 0.5;
      check(
        `${lang}: the as-of marker is there, labelled, on the as-of date`,
        svg.asOf.length === 1 && svg.asOf[0].box.h > 0 && inside(svg.asOf[0].label) && svg.asOf[0].text.length > 0,
        JSON.stringify(svg.asOf),
      );
      check(
        `${lang}: ${svg.events.length} dated events drawn, their labels inside the picture`,
        svg.events.length >= 3 && svg.events.every((e) => inside(e.box) && inside(e.label)),
        JSON.stringify(svg.events.filter((e) => !(inside(e.box) && inside(e.label)))),
      );
      // Each finding: a mark of its rule, on its date's x (an event's or the as-of line's).
      const perRule = {};
      for (const f of findings) perRule[f.rule] = (perRule[f.rule] || 0) + 1;
      const marked = {};
      for (const m of svg.marks) marked[m.rule] = (marked[m.rule] || 0) + m.count;
      const anchors = [...svg.events.map((e) => ({ date: e.date, x: e.box.cx })), ...svg.asOf.map((a) => ({ date: a.date, x: a.box.cx }))];
      const astray = svg.marks.filter((m) => !inside(m.box) || !inside(m.label) || !anchors.some((a) => a.date === m.date && Math.abs(a.x - m.box.cx) < 1.5));
      check(
        `${lang}: each finding is placed on the timeline at its date (${svg.marks.length} marks)`,
        JSON.stringify(Object.entries(perRule).sort()) === JSON.stringify(Object.entries(marked).sort()) && astray.length === 0,
        `findings by rule ${JSON.stringify(perRule)}, marks ${JSON.stringify(marked)}, astray ${JSON.stringify(astray)}`,
      );
      const labels = [...svg.marks.map((m) => ({ what: m.rule, ...m.label })), ...svg.events.map((e) => ({ what: e.date, ...e.label })), ...svg.asOf.map((a) => ({ what: "as of", ...a.label }))];
      const overlaps = [];
      for (let i = 0; i < labels.length; i++)
        for (let j = i + 1; j < labels.length; j++) {
          const a = labels[i], b = labels[j];
          if (a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1) overlaps.push(`${a.what} / ${b.what}`);
        }
      check(`${lang}: no two labels of the timeline overlap`, overlaps.length === 0, overlaps.join("\n"));
    }

    // 4. Structure for assistive technology.
    check(`${lang}: <html lang="${lang}">`, dom.lang === lang, dom.lang);
    check(`${lang}: exactly one h1`, dom.h1 === 1, dom.h1);
    const skips = dom.headings.filter((l, i) => i > 0 && l > dom.headings[i - 1] + 1);
    check(`${lang}: heading levels do not skip (${dom.headings.length} headings)`, dom.headings[0] === 1 && skips.length === 0, dom.headings.join(" "));
    check(
      `${lang}: every table (${dom.tables.length}) has column headers, every row a row header`,
      dom.tables.length > 0 && dom.tables.every((t) => t.th > 0 && t.rows > 0 && t.rowsWithHeader === t.rows),
      JSON.stringify(dom.tables),
    );
    check(`${lang}: nothing wider than the window (1280 px), no text out of its box`, !dom.wide && dom.spill.length === 0, dom.spill.join("\n"));

    // 5. Japanese text in a real font, not boxes: two different kanji must draw differently.
    if (lang === "ja") {
      const same = await page.evaluate(() => {
        const font = getComputedStyle(document.body).font;
        const draw = (ch) => {
          const c = document.createElement("canvas");
          c.width = 40;
          c.height = 40;
          const g = c.getContext("2d");
          g.font = font.replace(/\d+(\.\d+)?px/, "32px");
          g.fillText(ch, 2, 32);
          return c.toDataURL();
        };
        return draw("東") === draw("西");
      });
      check("ja: Japanese glyphs are drawn with a font that has them", !same);
    }

    // 6. Screenshots: the whole page, and the top of the page.
    await attempt(`${lang}: full-page screenshot`, async () => {
      const png = await page.screenshot({ path: join(outDir, `report.${lang}.png`), fullPage: true });
      if (png.length < 20000) return `only ${png.length} bytes`;
    });
    if (readmeShot && lang === "en") {
      await attempt("en: README screenshot (summary and timeline)", async () => {
        await page.setViewportSize({ width: 1100, height: 1400 });
        await page.screenshot({ path: readmeShot, fullPage: false });
        await page.setViewportSize({ width: 1280, height: 900 });
      });
    }

    // 7. Print on A4: no overflow at the printable width, a PDF of a few pages.
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 703, height: 1000 }); // 210 mm less 2×12 mm margins at 96 dpi
    const printWide = await page.evaluate(() => {
      const limit = document.documentElement.clientWidth + 1;
      return [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > limit || (!(el instanceof SVGElement) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1))
        .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class")}`)
        .slice(0, 5);
    });
    check(`${lang}: in print, nothing is wider than an A4 page`, printWide.length === 0, printWide.join("\n"));
    await attempt(`${lang}: prints to an A4 PDF`, async () => {
      const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true, printBackground: true });
      writeFileSync(join(outDir, `report.${lang}.pdf`), pdf);
      const text = pdf.toString("latin1");
      const pages = (text.match(/\/Type\s*\/Page\b/g) || []).length;
      const a4 = /\/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]/.test(text);
      console.log(`# ${lang}: ${pages} A4 pages`);
      if (!a4) return "the PDF's pages are not A4";
      if (pages < 1 || pages > 12) return `${pages} pages`;
    });
    await page.close();
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
