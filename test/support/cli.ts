// Runs one of the project's real command-line scripts (or any command) in a child process.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Where tests leave files for a person to look at (screenshots, the workflow log); git ignores the default. TEST_ARTIFACTS gives each of two runs at once its own. */
export const ARTIFACTS = process.env.TEST_ARTIFACTS || join(ROOT, "test", ".artifacts");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` with exactly `env` and collects what it prints. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function runScript(script: string, args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliResult> {
  return runCommand(process.execPath, [script, ...args], { ...process.env, GITHUB_ACTIONS: "", ...env }, cwd);
}
