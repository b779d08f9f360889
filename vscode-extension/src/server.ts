// The language client's life cycle: finding the binary, starting, stopping
// and restarting the client when `enable` or `path` change, telling the
// running server about `asOf`/`rules` changes, and the language status item.

import * as vscode from "vscode";
import { BinaryProblem, PATH_SETTING, ResolvedBinary, resolveServerBinary } from "./binary";
import { classifyChange, readSettings, SECTION, serverSettings, ServerSettings } from "./settings";

export const SHOW_LOGS_COMMAND = "exchangeAuthLint.showLogs";

export type ServerState = "idle" | "disabled" | "starting" | "running" | "stopped" | "error";

/** The parts of `LanguageClient` the controller uses (a seam for tests). */
export interface Client {
  start(): Promise<void>;
  stop(timeout?: number): Promise<void>;
  sendSettings(settings: ServerSettings): Promise<void>;
  /** Called with false when the connection to the server is lost. */
  onRunningChange(listener: (running: boolean) => void): vscode.Disposable;
  serverVersion(): string | undefined;
  /** URIs that currently have diagnostics from this server. */
  diagnosedUris(): vscode.Uri[];
  dispose(): Promise<void> | void;
}

export type ClientFactory = (binary: ResolvedBinary, log: vscode.LogOutputChannel) => Client;

export interface Notifier {
  error(message: string, ...actions: string[]): Thenable<string | undefined>;
  warning(message: string, ...actions: string[]): Thenable<string | undefined>;
}

const windowNotifier: Notifier = {
  error: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
  warning: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
};

const OPEN_SETTINGS = "Open Settings";
const SHOW_LOGS = "Show Logs";

export interface ControllerOptions {
  extensionPath: string;
  log: vscode.LogOutputChannel;
  createClient: ClientFactory;
  notifier?: Notifier;
  /** The language status item; omitted in tests that don't look at it. */
  status?: vscode.LanguageStatusItem;
}

export class ServerController implements vscode.Disposable {
  private client: Client | undefined;
  private clientListener: vscode.Disposable | undefined;
  private binary: ResolvedBinary | undefined;
  private current: ServerState = "idle";
  private detail = "";
  private queue: Promise<void> = Promise.resolve();
  private lastSettingsWarning = "";
  private readonly notifier: Notifier;
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(private readonly options: ControllerOptions) {
    this.notifier = options.notifier ?? windowNotifier;
    this.render();
  }

  get state(): ServerState {
    return this.current;
  }

  get resolvedBinary(): ResolvedBinary | undefined {
    return this.binary;
  }

  get runningClient(): Client | undefined {
    return this.current === "running" ? this.client : undefined;
  }

  /** Resolves the binary with the current settings (for commands that run the CLI). */
  resolveBinary(): ResolvedBinary {
    return resolveServerBinary({
      configuredPath: readSettings().path,
      extensionPath: this.options.extensionPath,
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    });
  }

  /** Shows a binary problem: one notification naming the setting, with a way to it. */
  reportBinaryProblem(problem: BinaryProblem): void {
    this.options.log.error(problem.message);
    void this.notifier.error(problem.message, OPEN_SETTINGS, SHOW_LOGS).then((choice) => {
      if (choice === OPEN_SETTINGS) {
        void vscode.commands.executeCommand("workbench.action.openSettings", problem.setting);
      } else if (choice === SHOW_LOGS) {
        this.options.log.show();
      }
    });
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop("idle"));
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.doStop("idle");
      await this.doStart();
    });
  }

  /** Reacts to a settings change: restart for enable/path, notify for asOf/rules. */
  onConfigurationChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
    switch (classifyChange(event)) {
      case "restart":
        this.options.log.info("exchangeAuthLint.enable or exchangeAuthLint.path changed: restarting the server");
        return this.restart();
      case "notify":
        return this.enqueue(async () => {
          this.warnAboutSettings();
          const client = this.runningClient;
          if (client) {
            const settings = serverSettings();
            this.options.log.info(`Settings changed: sending ${JSON.stringify(settings)} to the server`);
            await client.sendSettings(settings);
          }
        });
      default:
        return Promise.resolve();
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.stateEmitter.dispose();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private warnAboutSettings(): void {
    const problems = readSettings().problems;
    for (const p of problems) {
      this.options.log.warn(p);
    }
    const summary = problems.join(" ");
    if (summary !== "" && summary !== this.lastSettingsWarning) {
      void this.notifier.warning(`Exchange Auth Lint: ${summary}`);
    }
    this.lastSettingsWarning = summary;
  }

  private async doStart(): Promise<void> {
    if (this.client) {
      return;
    }
    this.warnAboutSettings();
    const settings = readSettings();
    if (!settings.enable) {
      this.options.log.info(`${SECTION}.enable is false: the server is not started`);
      this.setState("disabled", `Turned off by the setting "${SECTION}.enable".`);
      return;
    }
    let binary: ResolvedBinary;
    try {
      binary = this.resolveBinary();
    } catch (e) {
      const problem = e instanceof BinaryProblem ? e : new BinaryProblem(String(e));
      this.binary = undefined;
      this.setState("error", problem.message);
      this.reportBinaryProblem(problem);
      return;
    }
    this.binary = binary;
    this.options.log.info(`Starting ${binary.path} server (from ${binary.source})`);
    this.setState("starting", `starting · ${binaryOrigin(binary)}`);
    const client = this.options.createClient(binary, this.options.log);
    this.client = client;
    this.clientListener = client.onRunningChange((running) => {
      if (this.client !== client) {
        return;
      }
      if (running) {
        this.setState("running", this.runningDetail());
      } else if (this.current === "running" || this.current === "starting") {
        this.setState("stopped", "The server stopped. Run “Exchange Auth Lint: Restart Server”, or see the logs.");
      }
    });
    try {
      await client.start();
      this.options.log.info(`Server running: exchange-auth-lint ${client.serverVersion() ?? "(version unknown)"}`);
      this.setState("running", this.runningDetail());
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.options.log.error(`The server failed to start: ${reason}`);
      this.clientListener?.dispose();
      this.clientListener = undefined;
      this.client = undefined;
      try {
        await client.dispose();
      } catch {
        // already reported
      }
      this.setState(
        "error",
        `The ${binaryOrigin(binary)} server failed to start (${reason}). See the logs; check "${PATH_SETTING}".`,
      );
    }
  }

  private async doStop(next: ServerState): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.clientListener?.dispose();
    this.clientListener = undefined;
    if (client) {
      try {
        await client.stop(2000);
      } catch (e) {
        this.options.log.warn(`Stopping the server: ${e instanceof Error ? e.message : String(e)}`);
      }
      try {
        await client.dispose();
      } catch {
        // stopped already
      }
    }
    this.setState(next, "");
  }

  /** The status popup's line: state and where the server comes from,
   * never its full path (that goes to the logs, one click away). */
  private runningDetail(): string {
    const b = this.binary;
    return b ? `running · ${binaryOrigin(b)}` : "running";
  }

  private setState(state: ServerState, detail: string): void {
    const changed = state !== this.current || detail !== this.detail;
    this.current = state;
    this.detail = detail;
    this.render();
    if (changed) {
      this.stateEmitter.fire(state);
    }
  }

  private render(): void {
    const item = this.options.status;
    if (!item) {
      return;
    }
    const version = this.client?.serverVersion();
    item.name = "Exchange Auth Lint";
    item.command = { title: "Show Logs", command: SHOW_LOGS_COMMAND };
    item.busy = this.current === "starting";
    item.severity = vscode.LanguageStatusSeverity.Information;
    switch (this.current) {
      case "running":
        item.text = `exchange-auth-lint ${version ?? ""}`.trim();
        item.detail = this.detail;
        break;
      case "starting":
        item.text = "exchange-auth-lint";
        item.detail = this.detail || "starting…";
        break;
      case "disabled":
        item.text = "exchange-auth-lint: off";
        item.detail = this.detail;
        break;
      case "stopped":
        item.text = "exchange-auth-lint: stopped";
        item.detail = this.detail;
        item.severity = vscode.LanguageStatusSeverity.Warning;
        break;
      case "error":
        item.text = "exchange-auth-lint: not running";
        item.detail = this.detail;
        item.severity = vscode.LanguageStatusSeverity.Error;
        break;
      default:
        item.text = "exchange-auth-lint";
        item.detail = "not started";
    }
  }
}

/** Where the server binary comes from, in a few words. */
export function binaryOrigin(b: ResolvedBinary): string {
  return b.source === "PATH" ? "from PATH" : b.source === "bundled" ? "bundled" : `from "${PATH_SETTING}"`;
}
