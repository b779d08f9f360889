import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { beforeEach, describe, it } from "node:test";
import * as vscode from "vscode";
import { activateWith, COMMANDS } from "../../src/activation";
import { ResolvedBinary } from "../../src/binary";
import { Client } from "../../src/server";
import { controls } from "./stub-vscode";
import { fakeProgram, tempDir } from "./helpers";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8"));

function harness() {
  const ext = tempDir();
  fakeProgram(path.join(ext, "bundled", `${process.platform}-${process.arch}`, "exchange-auth-lint"));
  const started: ResolvedBinary[] = [];
  const context = { subscriptions: [] as { dispose(): unknown }[], extensionPath: ext };
  const factory = (binary: ResolvedBinary): Client => ({
    start: async () => {
      started.push(binary);
    },
    stop: async () => undefined,
    sendSettings: async () => undefined,
    onRunningChange: () => ({ dispose: () => undefined }),
    serverVersion: () => "0.1.0",
    diagnosedUris: () => [],
    dispose: () => undefined,
  });
  return { context, factory, started };
}

describe("activation", () => {
  beforeEach(() => controls.reset());

  it("registers exactly the commands package.json contributes", async () => {
    const h = harness();
    await activateWith(h.context, h.factory);
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual([...controls.registeredCommands.keys()].sort(), contributed);
    assert.deepEqual([...COMMANDS].sort(), contributed);
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, "Exchange Auth Lint");
    }
  });

  it("starts the server at once in an SFDX project", async () => {
    const h = harness();
    controls.foundFiles.push(vscode.Uri.file("/p/sfdx-project.json"));
    const server = await activateWith(h.context, h.factory);
    assert.equal(h.started.length, 1);
    assert.equal(server.state, "running");
  });

  it("waits for a metadata file when activated by some other XML file", async () => {
    const h = harness();
    const server = await activateWith(h.context, h.factory);
    assert.equal(h.started.length, 0);
    assert.equal(server.state, "idle");
    controls.openListeners.fire({ uri: vscode.Uri.file("/p/pom.xml") });
    assert.equal(h.started.length, 0);
    controls.openListeners.fire({ uri: vscode.Uri.file("/p/x/Exchange.namedCredential-meta.xml") });
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(h.started.length, 1);
  });

  it("restarts on a change of exchangeAuthLint.path and shows logs on request", async () => {
    const h = harness();
    controls.foundFiles.push(vscode.Uri.file("/p/sfdx-project.json"));
    await activateWith(h.context, h.factory);
    const other = fakeProgram(path.join(tempDir(), "exchange-auth-lint"));
    controls.changeSettings({ "exchangeAuthLint.path": other });
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(h.started.at(-1), { path: other, source: "setting" });
    await controls.registeredCommands.get("exchangeAuthLint.showLogs")!();
    assert.ok(controls.executed.some((e) => e.command === "<log.show>"));
  });
});
