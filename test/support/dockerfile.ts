import { spawn } from 'node:child_process';
import { cp, mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';

/**
 * The Dockerfile's steps, run outside Docker (no engine on our machines): each stage is a folder
 * standing for the container's root, WORKDIR / COPY / RUN / ENV act on it, and the last stage's
 * HEALTHCHECK and CMD are kept for the caller to run. Only the instructions our Dockerfile uses
 * are understood; anything else fails loudly so the two never drift apart silently.
 */
export interface Stage {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | null;
  healthcheck: string[] | null;
  cmd: string[] | null;
  /** Every RUN command, as written. */
  runs: string[];
}

export interface Instruction {
  keyword: string;
  args: string;
}

export function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: line.slice(keyword!.length).trim() };
    });
}

/** Exec form (`["a", "b"]`) as is; shell form as `sh -c "…"`, like Docker. */
function commandOf(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : ['sh', '-c', args];
}

/**
 * Runs the stages like BuildKit: each stage on its own, in parallel, a `COPY --from=<stage>`
 * waiting for that stage to finish. Resolves with every stage once all are built.
 */
export async function runDockerfile(
  text: string,
  options: { context: string; scratch: string; env: Record<string, string>; log?: (line: string) => void },
): Promise<Stage[]> {
  const groups: { stage: Stage; steps: Instruction[] }[] = [];
  for (const instruction of parseDockerfile(text)) {
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`Dockerfile: cannot read FROM ${instruction.args}`);
      if (!/^node:20[-.]/.test(match[1]!)) throw new Error(`Dockerfile: the steps are checked on Node 20; FROM ${match[1]} is not`);
      const name = match[2] ?? String(groups.length);
      const root = join(options.scratch, `stage-${name}`);
      groups.push({ stage: { name, root, workdir: '/', env: {}, user: null, healthcheck: null, cmd: null, runs: [] }, steps: [] });
    } else {
      if (!groups.length) throw new Error('Dockerfile: an instruction before FROM');
      groups.at(-1)!.steps.push(instruction);
    }
  }
  const built = new Map<string, Promise<Stage>>();
  for (const { stage, steps } of groups) built.set(stage.name, buildStage(stage, steps, built, options));
  return Promise.all([...built.values()]);
}

async function buildStage(
  stage: Stage,
  steps: Instruction[],
  built: Map<string, Promise<Stage>>,
  options: { context: string; env: Record<string, string>; log?: (line: string) => void },
): Promise<Stage> {
  await mkdir(stage.root, { recursive: true });
  const inRoot = (path: string) => join(stage.root, posix.isAbsolute(path) ? path : posix.join(stage.workdir, path));
  for (const { keyword, args } of steps) {
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = posix.resolve(stage.workdir, args);
        await mkdir(inRoot('.'), { recursive: true });
        break;
      case 'ENV': {
        const match = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/.exec(args);
        if (!match) throw new Error(`Dockerfile: ENV must be KEY=value, got ${args}`);
        stage.env[match[1]!] = match[2]!;
        break;
      }
      case 'COPY': {
        const parts = args.split(/\s+/);
        const from = parts.find((part) => part.startsWith('--from='))?.slice('--from='.length);
        const paths = parts.filter((part) => !part.startsWith('--'));
        const dest = paths.pop()!;
        const source = from ? await built.get(from) : null;
        if (from && !source) throw new Error(`Dockerfile: COPY --from=${from}: no such stage before this one`);
        for (const path of paths) {
          const src = source ? join(source.root, path) : join(options.context, path);
          const into = dest.endsWith('/') || paths.length > 1 ? posix.join(dest, posix.basename(path)) : dest;
          await cp(src, inRoot(into), { recursive: true });
        }
        break;
      }
      case 'RUN': {
        stage.runs.push(args);
        options.log?.(`[${stage.name}] RUN ${args}`);
        const { code, output } = await run(commandOf(args), inRoot('.'), { ...options.env, ...stage.env });
        if (code !== 0) throw new Error(`Dockerfile: RUN ${args} exited ${code}:\n${output.slice(-4000)}`);
        break;
      }
      case 'USER':
        stage.user = args;
        break;
      case 'HEALTHCHECK': {
        const match = /CMD\s+(.*)$/.exec(args);
        if (!match) throw new Error('Dockerfile: HEALTHCHECK without CMD');
        stage.healthcheck = commandOf(match[1]!);
        break;
      }
      case 'CMD':
        stage.cmd = commandOf(args);
        break;
      case 'EXPOSE':
      case 'LABEL':
        break;
      default:
        throw new Error(`Dockerfile: ${keyword} is not understood by the outside-Docker runner (test/support/dockerfile.ts)`);
    }
  }
  return stage;
}

export async function run(command: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(command[0]!, command.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}
