// End-to-end test of the packaged extension in a real VS Code (code-server)
// driven by headless Chromium: install the .vsix, open the demo SFDX project,
// see EXO001 in the Problems panel at line 10, hover it, apply the quick fix
// with Ctrl+., and check that the problem, its squiggle and the file changed.
//
// Usage: node run.mjs --vsix FILE --fixture DIR --artifacts DIR
// Run by scripts/e2e.sh, which installs code-server, Node 24 and Chromium.
// Prints "N passed, N failed" (one per checked step) at the end.

import { spawn, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const vsix = path.resolve(args.vsix ?? "");
const fixture = path.resolve(args.fixture ?? path.join(here, "..", "..", "..", "fixtures", "demo-org"));
const artifacts = path.resolve(args.artifacts ?? path.join(here, "..", "..", "test-artifacts", "e2e"));
const chromiumPath = args.chromium ?? "/usr/bin/chromium";
const codeServer = path.join(here, "node_modules", "code-server", "out", "node", "entry.js");
const FLAGGED = "force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml";
const FLAGGED_NAME = path.basename(FLAGGED);

let passed = 0;
let failed = 0;
const children = [];
const tempDirs = [];
let browser;

function log(msg) {
  console.log(`[e2e ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

async function step(name, fn) {
  const started = Date.now();
  try {
    const value = await fn();
    passed++;
    log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return value;
  } catch (e) {
    failed++;
    log(`FAIL ${name}: ${e?.stack ?? e}`);
    throw e;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(what, fn, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) {
        return v;
      }
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (${last.message})` : ""}`);
}

function removeTempDirs() {
  if (process.env.E2E_KEEP_TEMP) {
    log(`kept ${tempDirs.join(", ")}`);
    return;
  }
  for (const dir of tempDirs) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // a process still writing there; the OS cleans /tmp
    }
  }
}

function cleanup() {
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGTERM"); // its own process group: code-server and its extension hosts
    } catch {
      // gone already
    }
  }
}

async function main() {
  if (!fs.existsSync(vsix)) {
    throw new Error(`no .vsix at ${vsix} (pass --vsix)`);
  }
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "eal-e2e-"));
  tempDirs.push(tmp);
  const project = path.join(tmp, "demo-org");
  fs.cpSync(fixture, project, { recursive: true });
  const flaggedFile = path.join(project, FLAGGED);
  const original = fs.readFileSync(flaggedFile, "utf8");
  const userData = path.join(tmp, "user-data");
  const extensions = path.join(tmp, "extensions");
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  const settingsFile = path.join(userData, "User", "settings.json");
  const settings = {
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "workbench.colorTheme": "Default Light Modern",
        "security.workspace.trust.enabled": false,
        "telemetry.telemetryLevel": "off",
        "extensions.autoUpdate": false,
        "extensions.autoCheckUpdates": false,
        "update.mode": "none",
        "editor.minimap.enabled": false,
        "window.zoomLevel": 0,
        "chat.disableAIFeatures": true,
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "exchangeAuthLint.asOf": "2026-11-24",
  };
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(tmp, "xdg-config"),
    XDG_DATA_HOME: path.join(tmp, "xdg-data"),
    XDG_CACHE_HOME: path.join(tmp, "xdg-cache"),
  };
  const base = ["--user-data-dir", userData, "--extensions-dir", extensions];

  await step("install the .vsix with code-server --install-extension", async () => {
    const out = execFileSync(process.execPath, [codeServer, ...base, "--install-extension", vsix], {
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    fs.writeFileSync(path.join(artifacts, "install-extension.log"), out);
    const installed = fs.readdirSync(extensions).filter((d) => d.startsWith("exchange-auth-lint."));
    if (installed.length !== 1) {
      throw new Error(`extension not installed: ${fs.readdirSync(extensions).join(", ")}\n${out}`);
    }
    const bin = path.join(extensions, installed[0], "bundled", "linux-x64", "exchange-auth-lint");
    if (!fs.existsSync(bin)) {
      throw new Error(`the installed extension has no bundled server at ${bin}`);
    }
    log(`installed ${installed[0]}`);
  });

  const port = await freePort();
  const serverLog = fs.openSync(path.join(artifacts, "code-server.log"), "w");
  const server = spawn(
    process.execPath,
    [
      codeServer,
      ...base,
      "--auth", "none",
      "--bind-addr", `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--reconnection-grace-time", "5",
      project,
    ],
    { env, detached: true, stdio: ["ignore", serverLog, serverLog] },
  );
  children.push(server);

  await step("code-server answers /healthz", () =>
    waitFor("code-server", async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000),
  );

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  const page = await context.newPage();
  const consoleLines = [];
  page.on("console", (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`) });

  try {
    await step("the workbench loads with the project folder", async () => {
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(project)}`);
      await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
      await page.locator(".explorer-folders-view, .explorer-viewlet").first().waitFor({ timeout: 60_000 });
    });

    await step(`open ${FLAGGED_NAME} with Quick Open`, async () => {
      await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } }).catch(() => undefined);
      await page.keyboard.press("Control+P");
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ timeout: 15_000 });
      await input.fill(FLAGGED_NAME);
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "Exchange_Sync_Service" }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press("Enter");
      await page.locator(".tab.active", { hasText: "Exchange_Sync_Service" }).waitFor({ timeout: 15_000 });
      await page.locator(".view-line", { hasText: "<protocol>Password</protocol>" }).waitFor({ timeout: 15_000 });
    });

    const errorSquiggles = () => page.locator(".monaco-editor .squiggly-error").count();

    const before = await step("the server's diagnostics show as squiggles", async () => {
      await waitFor("an error squiggle", async () => (await errorSquiggles()) > 0, 90_000);
      return errorSquiggles();
    });

    // Findings cover the whole project; look at the flagged file's only.
    const problems = page.locator(".markers-panel .monaco-list-row");
    const exo001Rows = () => problems.filter({ hasText: "EXO001" }).filter({ hasText: "Exchange Sync Service" });

    await step("the Problems panel lists EXO001 at line 10", async () => {
      await page.keyboard.press("Control+Shift+M");
      await page.locator(".markers-panel").waitFor({ timeout: 15_000 });
      const filter = page.locator(".markers-panel-action-filter input, .viewpane-filter input").first();
      await filter.fill(`**/${FLAGGED_NAME}`);
      const row = await waitFor(
        "EXO001 in the Problems panel",
        async () => ((await exo001Rows().count()) > 0 ? exo001Rows().first() : undefined),
        60_000,
      );
      const text = (await row.innerText()).replace(/\s+/g, " ");
      const aria = (await row.getAttribute("aria-label")) ?? "";
      fs.writeFileSync(path.join(artifacts, "problems-before.txt"), `${await page.locator(".markers-panel").innerText()}\n`);
      if (!/\[Ln 10, Col \d+\]/.test(text) && !/line 10\b/i.test(aria)) {
        throw new Error(`EXO001 is not at line 10: "${text}" / "${aria}"`);
      }
      if (!/Exchange Online|basic authentication|password/i.test(text)) {
        throw new Error(`unexpected EXO001 message: ${text}`);
      }
      log(`problem: ${text}`);
    });

    const protocolLine = page.locator(".view-line", { hasText: "<protocol>Password</protocol>" });

    await step("hovering the EXO001 squiggle shows the diagnostic and rule help", async () => {
      const box = await protocolLine.boundingBox();
      await page.mouse.move(box.x + 120, box.y + box.height / 2);
      const hover = page.locator(".monaco-hover:visible").first();
      await waitFor("the hover", async () => /EXO001/.test(await hover.innerText()), 15_000, 500);
      await shot("01-diagnostic-hover");
    });

    let choice;
    await step("Ctrl+. on line 10 offers the EXO001 quick fix", async () => {
      await page.mouse.move(5, 5);
      await protocolLine.click({ position: { x: 80, y: 5 } });
      await page.keyboard.press("Escape"); // the hover, if still open; the editor keeps focus
      await page.locator(".lightBulbWidget, .codicon-light-bulb, .codicon-lightbulb-autofix").first().waitFor({ timeout: 30_000 });
      await page.keyboard.press("Control+.");
      const menu = page.locator(".action-widget").first();
      await menu.waitFor({ timeout: 15_000 });
      const rows = menu.locator(".monaco-list-row.action");
      await waitFor("quick fixes", async () => (await rows.count()) > 0, 15_000);
      const titles = await rows.allInnerTexts();
      fs.writeFileSync(path.join(artifacts, "quick-fixes.txt"), `${titles.join("\n")}\n`);
      log(`quick fixes: ${titles.map((t) => t.trim()).join(" | ")}`);
      const real = titles.findIndex((t) => /Convert to OAuth 2\.0/i.test(t));
      const disable = titles.findIndex((t) => /Disable EXO001/i.test(t));
      const index = real >= 0 ? real : disable;
      if (index < 0) {
        throw new Error(`no EXO001 fix offered: ${titles.join(" | ")}`);
      }
      choice = { kind: real >= 0 ? "convert" : "disable", title: titles[index].trim(), row: rows.nth(index) };
      await choice.row.hover();
      await shot("02-quick-fix-menu");
    });

    await step(`apply the quick fix and save`, async () => {
      await choice.row.click();
      await page.locator(".action-widget").first().waitFor({ state: "hidden", timeout: 15_000 });
      // A fix may also create files (the new external credential): save them all.
      await page.keyboard.press("F1");
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ timeout: 15_000 });
      await input.fill(">File: Save All");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "Save All" }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press("Enter");
      await waitFor("the file on disk to change", () => fs.readFileSync(flaggedFile, "utf8") !== original, 15_000);
    });

    await step("the problem and its squiggle are gone, the file changed as expected", async () => {
      await waitFor("EXO001 to leave the Problems panel", async () => (await exo001Rows().count()) === 0, 60_000);
      const after = await waitFor(
        "one error squiggle fewer",
        async () => {
          const n = await errorSquiggles();
          return n < before ? String(n) : undefined;
        },
        30_000,
      );
      const text = fs.readFileSync(flaggedFile, "utf8");
      fs.writeFileSync(path.join(artifacts, "fixed-file.xml"), text);
      if (choice.kind === "disable") {
        const lines = text.split(/\r?\n/);
        const at = lines.findIndex((l) => l.includes("<protocol>Password</protocol>"));
        if (at < 1 || !/<!--\s*exchange-auth-lint-disable-next-line\s+EXO001\b/.test(lines[at - 1])) {
          throw new Error(`no suppression comment above <protocol>:\n${text}`);
        }
        const stripped = lines.filter((_, i) => i !== at - 1).join("\n");
        if (stripped !== original.replace(/\r?\n/g, "\n").replace(/\n$/, "") && stripped !== original.replace(/\r?\n/g, "\n")) {
          throw new Error("the fix changed more than the one comment line");
        }
      } else {
        if (/<protocol>Password<\/protocol>/i.test(text) || /<password>/.test(text)) {
          throw new Error(`the converted credential still sends a password:\n${text}`);
        }
        if (!/<namedCredentialType>SecuredEndpoint<\/namedCredentialType>/.test(text)) {
          throw new Error(`the named credential was not converted:\n${text}`);
        }
        const ref = /<externalCredential>([^<]+)<\/externalCredential>/.exec(text);
        if (!ref) {
          throw new Error(`the converted credential references no external credential:\n${text}`);
        }
        const ecFile = path.join(path.dirname(path.dirname(flaggedFile)), "externalCredentials", `${ref[1]}.externalCredential-meta.xml`);
        const ec = await waitFor("the new external credential on disk", () => fs.existsSync(ecFile) && fs.readFileSync(ecFile, "utf8"), 15_000);
        fs.writeFileSync(path.join(artifacts, "created-external-credential.xml"), ec);
        if (!/<authenticationProtocol>Oauth<\/authenticationProtocol>/.test(ec) || !/ClientCredentialsClientSecret/.test(ec)) {
          throw new Error(`the new external credential is not OAuth client credentials:\n${ec}`);
        }
      }
      if (choice.kind === "convert") {
        // The fix's note (what remains to do in Setup) shows after the edit.
        const notes = page.locator(".notification-toast", { hasText: /Setup|Entra|client secret/i });
        await waitFor("the fix's note", async () => (await notes.count()) > 0, 15_000);
      }
      const broken = await page.locator(".notification-toast", { hasText: "command not found" }).count();
      if (broken > 0) {
        throw new Error("a command of the applied fix was not found");
      }
      log(`applied "${choice.title}"; error squiggles ${before} → ${after}`);
      fs.writeFileSync(path.join(artifacts, "problems-after.txt"), `${await page.locator(".markers-panel").innerText()}\n`);
      await page.mouse.move(5, 5);
      await shot("03-after-fix");
    });

    await step("the language status item shows the server version", async () => {
      const item = page.locator('[id="status.languageStatus"]');
      await item.waitFor({ timeout: 10_000 });
      await item.hover();
      const hoverText = await waitFor(
        "the language status",
        async () => {
          const t = await page.locator(".monaco-hover, .context-view").allInnerTexts();
          return t.find((x) => /exchange-auth-lint \d+\.\d+\.\d+/.test(x));
        },
        15_000,
        500,
      );
      log(`language status: ${hoverText.replace(/\s+/g, " ").slice(0, 160)}`);
      await shot("04-language-status");
    });
    await step("an Apex class of the demo (RoomFinder.cls) gets its EXO002 diagnostic", async () => {
      await page.keyboard.press("Control+P");
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ timeout: 15_000 });
      await input.fill("RoomFinder.cls");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "RoomFinder" }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press("Enter");
      await page.locator(".tab.active", { hasText: "RoomFinder.cls" }).waitFor({ timeout: 15_000 });
      await page.locator(".view-line", { hasText: "callout:Calendar_Room_Finder" }).waitFor({ timeout: 15_000 });
      const squiggles = page.locator(".editor-group-container.active .monaco-editor .squiggly-error, .editor-group-container.active .monaco-editor .squiggly-warning");
      await waitFor("a squiggle in the Apex class", async () => (await squiggles.count()) > 0, 60_000);
      if (!(await page.locator(".markers-panel").isVisible())) {
        await page.keyboard.press("Control+Shift+M");
      }
      await page.locator(".markers-panel").waitFor({ timeout: 15_000 });
      await page.locator(".markers-panel-action-filter input, .viewpane-filter input").first().fill("**/RoomFinder.cls");
      const rows = page.locator(".markers-panel .monaco-list-row").filter({ hasText: "EXO002" });
      await waitFor("EXO002 for RoomFinder in the Problems panel", async () => (await rows.count()) > 0, 30_000);
      log(`apex: ${(await rows.first().innerText()).replace(/\s+/g, " ").slice(0, 160)}`);
      await page.mouse.move(5, 5);
      await shot("06-apex");
      // The Problems panel stays on RoomFinder.cls: its EXO002 is what the
      // next step watches (the named credential's went with the Graph fix).
    });

    await step("changing exchangeAuthLint.asOf in the Settings editor re-checks without a reload", async () => {
      // EXO002 (EWS on Exchange Online) is a warning before 2026-10-01 and an error from then on.
      const exo002 = problems.filter({ hasText: "EXO002" }).filter({ hasText: "RoomFinder" });
      await waitFor("EXO002 as an error", async () => (await exo002.locator(".codicon-error").count()) > 0, 15_000);
      await page.keyboard.press("Control+,");
      const editor = page.locator(".settings-editor");
      await editor.waitFor({ timeout: 15_000 });
      await page.waitForTimeout(500);
      await page.keyboard.type("exchangeAuthLint.asOf");
      const row = editor.locator(".setting-item-contents", { hasText: "As Of" }).first();
      await row.waitFor({ timeout: 15_000 });
      const input = row.locator("input, textarea").first();
      await input.fill("2026-09-30");
      await input.press("Tab");
      await waitFor("EXO002 to become a warning", async () => (await exo002.locator(".codicon-warning").count()) > 0, 30_000);
      await shot("05-settings-as-of");
      await input.fill("2026-11-24");
      await input.press("Tab");
      await waitFor("EXO002 to be an error again", async () => (await exo002.locator(".codicon-error").count()) > 0, 30_000);
      await page.keyboard.press("Escape");
      if (await editor.isVisible()) {
        await page.keyboard.press("Control+W");
      }
    });

    await step("Explain Rule opens the rule's documentation in a Markdown preview", async () => {
      await page.keyboard.press("F1");
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ timeout: 15_000 });
      await input.fill(">Exchange Auth Lint: Explain Rule");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "Explain Rule" }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press("Enter");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "EXO002" }).first().waitFor({ timeout: 15_000 });
      await input.fill("exchange-basic-auth");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "EXO001" }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press("Enter");
      await page.locator(".tab", { hasText: "EXO001" }).first().waitFor({ timeout: 30_000 });
      const text = await waitFor(
        "the rendered documentation",
        async () => {
          for (const frame of page.frames()) {
            const body = await frame.locator("body").innerText({ timeout: 1000 }).catch(() => "");
            if (/exchange-basic-auth/.test(body) && /What it does/.test(body)) {
              return body;
            }
          }
          return undefined;
        },
        30_000,
        500,
      );
      log(`explain: ${text.replace(/\s+/g, " ").slice(0, 100)}…`);
      await shot("06-explain-rule");
    });

    await step("a wrong exchangeAuthLint.path gives one notification naming it; clearing it restarts the server", async () => {
      await page.keyboard.press("Control+,");
      const editor = page.locator(".settings-editor");
      await editor.waitFor({ timeout: 15_000 });
      await page.waitForTimeout(500);
      await page.keyboard.press("Control+A");
      await page.keyboard.type("exchangeAuthLint.path");
      // A machine-overridable setting: in code-server it lives in the Remote (machine) settings.
      await editor.getByText(/^Remote/).first().click();
      const row = editor.locator(".setting-item-contents", { hasText: "Path" }).first();
      await row.waitFor({ timeout: 15_000 });
      const input = row.locator("input, textarea").first();
      await input.fill("/nonexistent/exchange-auth-lint");
      await input.press("Tab");
      const toasts = page.locator(".notification-toast", { hasText: "exchangeAuthLint.path" });
      await waitFor("the notification", async () => (await toasts.count()) > 0, 30_000);
      await page.waitForTimeout(2000);
      const texts = await toasts.allInnerTexts();
      if (texts.length !== 1) {
        throw new Error(`expected one notification, got ${texts.length}: ${texts.join(" | ")}`);
      }
      if (!/not found at \/nonexistent\/exchange-auth-lint/.test(texts[0]) || !/Open Settings/.test(texts[0]) || /\bat \S+:\d+:\d+/.test(texts[0])) {
        throw new Error(`unexpected notification: ${texts[0]}`);
      }
      log(`notification: ${texts[0].replace(/\s+/g, " ").slice(0, 160)}`);
      await shot("07-missing-binary");
      await input.fill("");
      await input.press("Tab");
      const machineSettings = path.join(userData, "Machine", "settings.json");
      await waitFor(
        "the Settings editor to clear exchangeAuthLint.path",
        () => !/nonexistent/.test(fs.existsSync(machineSettings) ? fs.readFileSync(machineSettings, "utf8") : ""),
        15_000,
      );
      await page.keyboard.press("Escape");
      if (await editor.isVisible()) {
        await page.keyboard.press("Control+W");
      }
      await page.locator(".tab", { hasText: "Exchange_Sync_Service" }).first().click();
      const exo002 = problems.filter({ hasText: "EXO002" });
      await waitFor("the restarted server's diagnostics", async () => (await exo002.count()) > 0, 60_000);
      const item = page.locator('[id="status.languageStatus"]');
      await item.hover();
      await waitFor(
        "the language status of the restarted server",
        async () => (await page.locator(".monaco-hover, .context-view").allInnerTexts()).some((x) => /exchange-auth-lint \d+\.\d+\.\d+/.test(x)),
        30_000,
        500,
      );
    });
  } finally {
    fs.writeFileSync(path.join(artifacts, "browser-console.log"), consoleLines.join("\n"));
    await shot("99-last").catch(() => undefined);
  }
}

const overall = setTimeout(() => {
  log("FAIL the whole test took longer than 10 minutes");
  failed++;
  cleanup();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(1);
}, 600_000);

try {
  await main();
} catch (e) {
  if (failed === 0) {
    failed++;
    log(`FAIL ${e?.stack ?? e}`);
  }
} finally {
  clearTimeout(overall);
  await browser?.close().catch(() => undefined);
  cleanup();
  await new Promise((r) => setTimeout(r, 1500)); // let code-server exit before removing its folders
  removeTempDirs();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
