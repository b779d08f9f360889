import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = "eal-vscode-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a file (creating folders) with the given mode. */
export function writeFile(file: string, content: string, mode = 0o644): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.chmodSync(file, mode);
  return file;
}

/** An executable shell script standing in for the exchange-auth-lint program. */
export function fakeProgram(file: string, script = "exit 0"): string {
  return writeFile(file, `#!/bin/sh\n${script}\n`, 0o755);
}
