// A stand-in for the `vscode` module, so the extension's modules load under
// `node --test` (loaded with `--require` before the tests). It implements the
// API surface the extension uses and records what the extension shows.

import Module = require("module");
import * as path from "path";

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) {
      l(e);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  get fsPath(): string {
    return this.path;
  }
  static file(p: string): Uri {
    return new Uri("file", p);
  }
  static parse(s: string): Uri {
    const m = /^([a-z][a-z0-9+.-]*):(?:\/\/[^/]*)?(.*)$/i.exec(s);
    return m ? new Uri(m[1], decodeURIComponent(m[2])) : new Uri("file", s);
  }
  static from(c: { scheme: string; path?: string }): Uri {
    return new Uri(c.scheme, c.path ?? "");
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class CodeActionKind {
  private constructor(readonly value: string) {}
  static readonly Empty = new CodeActionKind("");
  static readonly QuickFix = new CodeActionKind("quickfix");
  static readonly Source = new CodeActionKind("source");
  static readonly SourceFixAll = new CodeActionKind("source.fixAll");
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === other.value || other.value.startsWith(`${this.value}.`);
  }
}

export enum LanguageStatusSeverity {
  Information = 0,
  Warning = 1,
  Error = 2,
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

export interface ShownMessage {
  level: "error" | "warning" | "info";
  text: string;
  actions: string[];
}

/** What the tests set up and inspect. */
export const controls = {
  /** Settings as `section.key` → value (only set keys; defaults come from `get`'s argument). */
  settings: new Map<string, unknown>(),
  messages: [] as ShownMessage[],
  executed: [] as { command: string; args: unknown[] }[],
  registeredCommands: new Map<string, (...args: unknown[]) => unknown>(),
  workspaceFolders: undefined as { uri: Uri; name: string; index: number }[] | undefined,
  textDocuments: [] as { uri: Uri }[],
  foundFiles: [] as Uri[],
  configListeners: new EventEmitter<{ affectsConfiguration(s: string): boolean }>(),
  openListeners: new EventEmitter<{ uri: Uri }>(),
  logLines: [] as string[],
  /** Results of `commands.executeCommand` by command id (after recording the call). */
  commandResults: new Map<string, (...args: unknown[]) => unknown>(),
  /** Edits given to `workspace.applyEdit`. */
  appliedEdits: [] as unknown[],
  /** Documents by path for `workspace.openTextDocument`. */
  documents: new Map<string, string>(),
  /** Label the next `window.showQuickPick` picks (undefined = dismissed). */
  quickPick: undefined as string | undefined,
  quickPickItems: [] as { label: string; description?: string; detail?: string }[],
  /** The button the user clicks in the next notification (undefined = dismissed). */
  messageAnswer: undefined as string | undefined,
  reset(): void {
    this.messageAnswer = undefined;
    this.commandResults.clear();
    this.appliedEdits.length = 0;
    this.documents.clear();
    this.quickPick = undefined;
    this.quickPickItems.length = 0;
    this.settings.clear();
    this.messages.length = 0;
    this.executed.length = 0;
    this.registeredCommands.clear();
    this.workspaceFolders = undefined;
    this.textDocuments.length = 0;
    this.foundFiles.length = 0;
    this.logLines.length = 0;
  },
  /** Changes settings and fires `onDidChangeConfiguration` like VS Code does. */
  changeSettings(values: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) {
        this.settings.delete(k);
      } else {
        this.settings.set(k, v);
      }
    }
    const keys = Object.keys(values);
    this.configListeners.fire({
      affectsConfiguration: (s: string) => keys.some((k) => k === s || k.startsWith(`${s}.`)),
    });
  },
};

function configuration(section: string) {
  return {
    get<T>(key: string, defaultValue?: T): T | undefined {
      const full = `${section}.${key}`;
      return controls.settings.has(full) ? (controls.settings.get(full) as T) : defaultValue;
    },
    has(key: string): boolean {
      return controls.settings.has(`${section}.${key}`);
    },
  };
}

function show(level: ShownMessage["level"]) {
  return (text: string, ...actions: string[]) => {
    controls.messages.push({ level, text, actions });
    return Promise.resolve(actions.includes(controls.messageAnswer ?? "") ? controls.messageAnswer : undefined);
  };
}

export function makeLogChannel() {
  const line = (level: string) => (msg: string) => controls.logLines.push(`[${level}] ${msg}`);
  return {
    name: "log",
    logLevel: 2,
    onDidChangeLogLevel: new EventEmitter<number>().event,
    trace: line("trace"),
    debug: line("debug"),
    info: line("info"),
    warn: line("warn"),
    error: (msg: string | Error) => controls.logLines.push(`[error] ${String(msg)}`),
    append: (s: string) => controls.logLines.push(s),
    appendLine: (s: string) => controls.logLines.push(s),
    replace: () => undefined,
    clear: () => undefined,
    show: () => controls.executed.push({ command: "<log.show>", args: [] }),
    hide: () => undefined,
    dispose: () => undefined,
  };
}

const vscodeStub = {
  version: "1.91.0",
  EventEmitter,
  Uri,
  CodeActionKind,
  LanguageStatusSeverity,
  ProgressLocation,
  Position,
  Range,
  Disposable: class {
    constructor(private readonly fn: () => void) {}
    dispose() {
      this.fn();
    }
  },
  workspace: {
    getConfiguration: (section: string) => configuration(section),
    get workspaceFolders() {
      return controls.workspaceFolders;
    },
    get textDocuments() {
      return controls.textDocuments;
    },
    findFiles: async (_include: string, _exclude?: string, max?: number) => controls.foundFiles.slice(0, max),
    onDidChangeConfiguration: controls.configListeners.event,
    onDidOpenTextDocument: controls.openListeners.event,
    registerTextDocumentContentProvider: () => ({ dispose: () => undefined }),
    createFileSystemWatcher: () => ({ dispose: () => undefined }),
    asRelativePath: (u: Uri | string) => (typeof u === "string" ? u : u.fsPath),
    openTextDocument: async (u: Uri) => {
      const text = controls.documents.get(u.path);
      if (text === undefined) {
        throw new Error(`cannot open ${u.toString()}`);
      }
      return {
        uri: u,
        getText: () => text,
        positionAt: (offset: number) => {
          const before = text.slice(0, offset).split("\n");
          return new Position(before.length - 1, before[before.length - 1].length);
        },
      };
    },
    applyEdit: async (edit: unknown) => {
      controls.appliedEdits.push(edit);
      return true;
    },
  },
  window: {
    showErrorMessage: show("error"),
    showWarningMessage: show("warning"),
    showInformationMessage: show("info"),
    createOutputChannel: () => makeLogChannel(),
    showQuickPick: async (items: { label: string }[]) => {
      controls.quickPickItems.push(...items);
      return items.find((i) => i.label === controls.quickPick);
    },
    withProgress: async (_o: unknown, task: (p: unknown, t: unknown) => Promise<unknown>) =>
      task({ report: () => undefined }, { isCancellationRequested: false }),
  },
  commands: {
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      controls.registeredCommands.set(id, fn);
      return { dispose: () => controls.registeredCommands.delete(id) };
    },
    executeCommand: async (command: string, ...args: unknown[]) => {
      controls.executed.push({ command, args });
      return controls.commandResults.get(command)?.(...args);
    },
  },
  languages: {
    createLanguageStatusItem: (id: string, selector: unknown) => ({
      id,
      selector,
      name: undefined as string | undefined,
      text: "",
      detail: undefined as string | undefined,
      severity: LanguageStatusSeverity.Information,
      busy: false,
      command: undefined as unknown,
      dispose: () => undefined,
    }),
    getDiagnostics: () => [],
  },
};

// `require("vscode")` anywhere now yields the stub.
const STUB_ID = path.join(__dirname, "__vscode_stub__.js");
const stubModule = new Module(STUB_ID);
stubModule.filename = STUB_ID;
stubModule.loaded = true;
stubModule.exports = vscodeStub;
require.cache[STUB_ID] = stubModule;
type Resolve = (request: string, ...rest: unknown[]) => string;
const mod = Module as unknown as { _resolveFilename: Resolve };
const original = mod._resolveFilename;
mod._resolveFilename = function (request: string, ...rest: unknown[]): string {
  return request === "vscode" ? STUB_ID : original.call(this, request, ...rest);
};
