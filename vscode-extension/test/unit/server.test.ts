import { strict as assert } from "assert";
import * as path from "path";
import { beforeEach, describe, it } from "node:test";
import * as vscode from "vscode";
import { ResolvedBinary } from "../../src/binary";
import { Client, ServerController } from "../../src/server";
import { ServerSettings } from "../../src/settings";
import { controls, makeLogChannel } from "./stub-vscode";
import { fakeProgram, tempDir } from "./helpers";

class FakeClient implements Client {
  started = 0;
  stopped = 0;
  disposed = 0;
  sent: ServerSettings[] = [];
  private listeners: ((running: boolean) => void)[] = [];
  constructor(
    readonly binary: ResolvedBinary,
    private readonly failStart?: Error,
  ) {}
  async start() {
    this.started++;
    if (this.failStart) {
      throw this.failStart;
    }
    this.listeners.forEach((l) => l(true));
  }
  async stop() {
    this.stopped++;
  }
  async sendSettings(s: ServerSettings) {
    this.sent.push(s);
  }
  onRunningChange(l: (running: boolean) => void) {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  }
  crash() {
    this.listeners.forEach((l) => l(false));
  }
  serverVersion() {
    return "0.1.0";
  }
  diagnosedUris() {
    return [];
  }
  dispose() {
    this.disposed++;
  }
}

function setup(opts: { failStart?: Error } = {}) {
  const ext = tempDir();
  const bundled = fakeProgram(path.join(ext, "bundled", `${process.platform}-${process.arch}`, "exchange-auth-lint"));
  const clients: FakeClient[] = [];
  const status = vscode.languages.createLanguageStatusItem("test", []);
  const controller = new ServerController({
    extensionPath: ext,
    log: makeLogChannel() as unknown as vscode.LogOutputChannel,
    status,
    createClient: (binary) => {
      const c = new FakeClient(binary, opts.failStart);
      clients.push(c);
      return c;
    },
  });
  return { ext, bundled, clients, status, controller };
}

function change(...keys: string[]) {
  return { affectsConfiguration: (s: string) => keys.some((k) => k === s || k.startsWith(`${s}.`)) };
}

const errors = () => controls.messages.filter((m) => m.level === "error");

describe("server controller", () => {
  beforeEach(() => controls.reset());

  it("starts the bundled server and shows its version in the status item", async () => {
    const { controller, clients, bundled, status } = setup();
    await controller.start();
    assert.equal(controller.state, "running");
    assert.equal(clients.length, 1);
    assert.deepEqual(clients[0].binary, { path: bundled, source: "bundled" });
    assert.equal(status.text, "exchange-auth-lint 0.1.0");
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Information);
    assert.deepEqual(status.command, { title: "Show Logs", command: "exchangeAuthLint.showLogs" });
    await controller.start();
    assert.equal(clients.length, 1, "a second start keeps the running client");
  });

  it("the status popup is one short line: state and origin, no binary path", async () => {
    const { controller, bundled, status } = setup();
    await controller.start();
    assert.equal(status.detail, "running · bundled");
    assert.ok(!(status.detail ?? "").includes(path.dirname(bundled)));
    assert.ok(controls.logLines.some((l) => l.includes(bundled)), "the logs name the path");
  });

  it("a missing configured binary gives one notification naming the setting, and no client", async () => {
    const { controller, clients, status } = setup();
    controls.settings.set("exchangeAuthLint.path", "/nowhere/exchange-auth-lint");
    await controller.start();
    assert.equal(clients.length, 0);
    assert.equal(controller.state, "error");
    assert.equal(errors().length, 1);
    assert.match(errors()[0].text, /"exchangeAuthLint\.path"/);
    assert.ok(!/\n\s+at /.test(errors()[0].text), "no stack trace");
    assert.deepEqual(errors()[0].actions, ["Open Settings", "Show Logs"]);
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Error);
    assert.match(status.detail ?? "", /exchangeAuthLint\.path/);
  });

  it("does not start when disabled, and starts when enabled again without a reload", async () => {
    const { controller, clients } = setup();
    controls.settings.set("exchangeAuthLint.enable", false);
    await controller.start();
    assert.equal(controller.state, "disabled");
    assert.equal(clients.length, 0);
    controls.settings.set("exchangeAuthLint.enable", true);
    await controller.onConfigurationChanged(change("exchangeAuthLint.enable"));
    assert.equal(controller.state, "running");
    assert.equal(clients.length, 1);
    controls.settings.set("exchangeAuthLint.enable", false);
    await controller.onConfigurationChanged(change("exchangeAuthLint.enable"));
    assert.equal(controller.state, "disabled");
    assert.equal(clients[0].stopped, 1);
  });

  it("restarts with the new binary when exchangeAuthLint.path changes", async () => {
    const { controller, clients } = setup();
    await controller.start();
    const other = fakeProgram(path.join(tempDir(), "exchange-auth-lint"));
    controls.settings.set("exchangeAuthLint.path", other);
    await controller.onConfigurationChanged(change("exchangeAuthLint.path"));
    assert.equal(clients.length, 2);
    assert.equal(clients[0].stopped, 1);
    assert.equal(clients[0].disposed, 1);
    assert.deepEqual(clients[1].binary, { path: other, source: "setting" });
    assert.equal(controller.state, "running");
  });

  it("sends validated asOf and rules to the running server without restarting it", async () => {
    const { controller, clients } = setup();
    await controller.start();
    controls.settings.set("exchangeAuthLint.asOf", "2027-04-01");
    controls.settings.set("exchangeAuthLint.rules", { exo002: "Error" });
    await controller.onConfigurationChanged(change("exchangeAuthLint.asOf", "exchangeAuthLint.rules"));
    assert.equal(clients.length, 1);
    assert.equal(clients[0].stopped, 0);
    assert.deepEqual(clients[0].sent, [{ asOf: "2027-04-01", rules: { EXO002: "error" } }]);
    await controller.onConfigurationChanged(change("exchangeAuthLint.trace.server"));
    assert.equal(clients[0].sent.length, 1, "trace changes are the client library's business");
  });

  it("warns once about an invalid setting, not on every change", async () => {
    const { controller } = setup();
    controls.settings.set("exchangeAuthLint.asOf", "tomorrow");
    await controller.start();
    await controller.onConfigurationChanged(change("exchangeAuthLint.rules"));
    const warnings = controls.messages.filter((m) => m.level === "warning");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].text, /exchangeAuthLint\.asOf/);
  });

  it("reports a server that fails to start without throwing", async () => {
    const { controller, clients, status } = setup({ failStart: new Error("Connection closed") });
    await controller.start();
    assert.equal(clients.length, 1);
    assert.equal(clients[0].disposed, 1);
    assert.equal(controller.state, "error");
    assert.match(status.detail ?? "", /failed to start.*Connection closed.*exchangeAuthLint\.path/);
    assert.doesNotMatch(status.detail ?? "", /\//, "no path in the popup");
    await controller.restart();
    assert.equal(clients.length, 2, "restart tries again");
  });

  it("shows a crashed server as stopped", async () => {
    const { controller, clients, status } = setup();
    await controller.start();
    clients[0].crash();
    assert.equal(controller.state, "stopped");
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Warning);
    await controller.restart();
    assert.equal(controller.state, "running");
  });

  it("serializes overlapping restarts", async () => {
    const { controller, clients } = setup();
    await Promise.all([controller.start(), controller.restart(), controller.restart()]);
    assert.equal(clients.length, 3);
    assert.deepEqual(
      clients.map((c) => c.stopped),
      [1, 1, 0],
    );
    assert.equal(controller.state, "running");
  });
});
