import { machine, release } from 'node:os';
import { basename, dirname, relative } from 'node:path';
import { compileBpfC, findClang, objectCacheDir } from '@progrun/compile';
import type { BpfProgTypeName } from '@progrun/uapi';
import { importNeedingAddon } from '../cli/addon-unavailable.js';
import { CliError, usageError } from '../cli/cli-error.js';
import type { Command, CommandInput } from '../cli/command.js';
import { ExitCode, exitCodesHelp } from '../cli/exit-codes.js';
import { schemaUrl } from '../cli/json-schema.js';
import { stringOption, stringsOption } from '../cli/option-values.js';
import type { Output } from '../cli/output.js';
import type { DemoCase, DemoContext, DemoScenario } from '../demo/demo-scenario.js';
import { exampleSourcePath, findExamplesDir } from '../demo/find-examples.js';
import { demoScenarios } from '../demo/scenarios/index.js';
import { programTypeName } from '../program/program-type.js';
import { type RunRecord, renderRun, runToJson, verdictOf } from '../render/run-report.js';
import { renderTable } from '../render/table.js';

const help = `progrun demo: run the built-in examples end to end on this kernel and check what they do.

Usage: progrun demo [--only NAME]... [--verbose] [--json]

Compiles each example's BPF C program with clang (cached), loads it, sets up its maps, runs it with
BPF_PROG_RUN on packets and contexts built for it, and checks the verdicts, the output packets, the
contexts and the maps against what the program is meant to do: an XDP MAC-swap reflector, an XDP port
firewall, an XDP TTL forwarder (VLAN pop with bpf_xdp_adjust_head, metadata with bpf_xdp_adjust_meta),
a tc classifier setting skb->mark, a flow dissector, an sk_lookup program steering to a real socket, a
raw tracepoint run on a chosen CPU, and a SYSCALL program that creates and fills a map.
Examples whose program type this kernel cannot test-run are skipped, saying which kernel they need.

Options:
  --only NAME     run only this example (repeatable): ${demoScenarios.map((s) => s.example).join(', ')}
  --verbose       print every run in full: input and output packets, the diff, the context
  --examples DIR  take the example sources from DIR instead of the built-in copy
  --json          one JSON document with every run and check
  -h, --help      this help

Examples:
  progrun demo
  progrun demo --only xdp-ttl-forwarder --verbose
  progrun demo --json | jq '.summary'

${exitCodesHelp([0, 1, 2, 5, 6, 130], {
  0: 'every check held (examples this kernel cannot run are skipped)',
  1: 'a check did not hold',
})}`;

interface ScenarioReport {
  readonly scenario: DemoScenario;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly typeName: string;
  readonly cases: readonly DemoCase[];
  /** Why it was skipped or could not run. */
  readonly reason?: string;
  readonly compiled?: 'cached' | 'now';
}

/** What the demo runs programs with; they load @progrun/syscall's native addon, so `execute` imports them. */
async function importRunners() {
  const [{ BpfObject }, { testRunFeature }, { explainError }, { runOnce }] = await importNeedingAddon(
    'demo',
    () =>
      Promise.all([
        import('@progrun/syscall'),
        import('@progrun/syscall/features'),
        import('../cli/explain-error.js'),
        import('../program/run-once.js'),
      ]),
  );
  return { BpfObject, testRunFeature, explainError, runOnce };
}

type Runners = Awaited<ReturnType<typeof importRunners>>;

async function runScenario(
  scenario: DemoScenario,
  examplesDir: string,
  { BpfObject, testRunFeature, runOnce }: Runners,
): Promise<ScenarioReport> {
  const feature = testRunFeature(scenario.testRunType).probe();
  if (feature.status === 'unsupported') {
    const min = feature.error.minKernel ? ` (needs Linux ${feature.error.minKernel})` : '';
    return {
      scenario,
      status: 'skipped',
      typeName: scenario.testRunType,
      cases: [],
      reason: `this kernel cannot test-run ${scenario.testRunType} programs${min}`,
    };
  }
  const compiled = await compileBpfC(exampleSourcePath(examplesDir, scenario.example));
  using object = BpfObject.open(compiled.objectPath);
  for (const program of object.programs) program.autoload = program.name === scenario.program;
  object.load();
  using program = object.program(scenario.program).toProgram();
  const typeName = programTypeName(object.program(scenario.program).type);
  const context: DemoContext = {
    object,
    program,
    typeName,
    run({ packet, ctx, cpu, origin }): RunRecord {
      const run = runOnce(
        program,
        typeName as BpfProgTypeName,
        packet,
        ctx,
        cpu === undefined ? {} : { cpu },
      );
      return { origin, typeName, repeat: 1, ...run };
    },
  };
  const cases = await scenario.run(context);
  const failed = cases.some((c) => c.problems.length > 0);
  return {
    scenario,
    status: failed ? 'failed' : 'passed',
    typeName,
    cases,
    compiled: compiled.cached ? 'cached' : 'now',
  };
}

async function execute({ values, out }: CommandInput): Promise<number> {
  const runners = await importRunners();
  const { explainError } = runners;
  const only = stringsOption(values, 'only');
  const unknown = only.filter((name) => !demoScenarios.some((s) => s.example === name));
  if (unknown.length > 0) {
    throw usageError(
      '--only',
      'the name of an example',
      `no example named ${unknown.join(', ')}; the examples are ${demoScenarios.map((s) => s.example).join(', ')}`,
      'demo',
    );
  }
  const explicitDir = stringOption(values, 'examples');
  const examplesDir = findExamplesDir(explicitDir);
  if (!examplesDir) {
    throw new CliError(
      'usage',
      ExitCode.Usage,
      explicitDir
        ? `${explicitDir} does not hold the examples`
        : 'the example sources were not found next to the CLI',
      {
        hint: 'Rebuild the CLI (`npm run build`, which copies them into dist/examples), or pass --examples DIR pointing at the examples/ directory of the repository.',
      },
    );
  }
  const clang = await findClang().catch((error: unknown) => {
    throw explainError(error);
  });
  const scenarios = only.length > 0 ? demoScenarios.filter((s) => only.includes(s.example)) : demoScenarios;
  const started = performance.now();
  const kernel = { release: release(), arch: machine() };

  if (!out.json) {
    const style = out.style;
    out.line(
      `${style.bold('progrun demo')}: ${scenarios.length} example BPF programs, compiled with ${clang.version.replace(/^Debian /, '')},`,
    );
    out.line(
      `loaded and run with BPF_PROG_RUN on this kernel (Linux ${kernel.release}, ${kernel.arch}). Each row is one`,
    );
    out.line('test run, checked against what the program is meant to do.');
    out.line();
  }

  const reports: ScenarioReport[] = [];
  for (const scenario of scenarios) {
    try {
      reports.push(await runScenario(scenario, examplesDir, runners));
    } catch (error) {
      const explained = explainError(error);
      // Without privileges or a compiler nothing else can run either: stop with that error.
      if (explained.kind === 'permission' || explained.kind === 'compile') throw explained;
      reports.push({
        scenario,
        status: 'failed',
        typeName: scenario.testRunType,
        cases: [],
        reason: explained.message,
      });
    }
  }

  const runs = reports.flatMap((r) => r.cases);
  const summary = {
    examples: reports.length,
    passed: reports.filter((r) => r.status === 'passed').length,
    failed: reports.filter((r) => r.status === 'failed').length,
    skipped: reports.filter((r) => r.status === 'skipped').length,
    runs: runs.length,
    failedRuns: runs.filter((c) => c.problems.length > 0).length,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
  const ok = summary.failed === 0;
  if (out.json) {
    out.writeJson({
      $schema: schemaUrl('demo'),
      ok,
      kernel,
      clang: clang.version,
      examplesDir,
      examples: reports.map((r) => ({
        example: r.scenario.example,
        title: r.scenario.title,
        program: r.scenario.program,
        type: r.typeName,
        status: r.status,
        ...(r.reason ? { reason: r.reason } : {}),
        ...(r.compiled ? { compiled: r.compiled } : {}),
        runs: r.cases.map((c) => ({
          input: c.input,
          summary: c.summary,
          problems: c.problems,
          ...runToJson(c.record),
        })),
      })),
      summary,
    });
    return ok ? ExitCode.Ok : ExitCode.RunFailed;
  }
  printReports(reports, out, values.verbose === true);
  printSummary(examplesDir, summary, reports, out);
  return ok ? ExitCode.Ok : ExitCode.RunFailed;
}

function printReports(reports: readonly ScenarioReport[], out: Output, verbose: boolean): void {
  const style = out.style;
  const rows: string[][] = [
    ['example', 'type', 'input', 'verdict', 'what it did', ''].map((h) => style.dim(h)),
  ];
  for (const report of reports) {
    const name = report.scenario.example;
    if (report.cases.length === 0) {
      const status = report.status === 'skipped' ? style.yellow('skipped') : style.red('FAILED');
      rows.push([name, report.typeName, '', '', style.dim(report.reason ?? ''), status]);
      continue;
    }
    report.cases.forEach((c, i) => {
      const status = c.problems.length === 0 ? style.green('ok') : style.red('FAILED');
      rows.push([
        i === 0 ? name : '',
        i === 0 ? report.typeName : '',
        c.input,
        verdictOf(c.record),
        c.summary,
        status,
      ]);
    });
  }
  out.line(renderTable(rows));
  const problems = reports.flatMap((r) =>
    r.cases.filter((c) => c.problems.length > 0).map((c) => ({ r, c })),
  );
  for (const { r, c } of problems) {
    out.line();
    out.line(style.red(`${r.scenario.example}, ${c.input}:`));
    for (const problem of c.problems) out.line(`  - ${problem}`);
    out.line(renderRun(c.record, style).replace(/^/gm, '    '));
  }
  if (verbose) {
    for (const report of reports) {
      for (const c of report.cases) {
        out.line();
        out.line(style.bold(`${report.scenario.example}: ${c.input}`));
        out.line(renderRun(c.record, style));
      }
    }
  }
}

function printSummary(
  examplesDir: string,
  summary: {
    examples: number;
    passed: number;
    failed: number;
    skipped: number;
    runs: number;
    failedRuns: number;
    seconds: number;
  },
  reports: readonly ScenarioReport[],
  out: Output,
): void {
  const style = out.style;
  const cached = reports.filter((r) => r.compiled === 'cached').length;
  const compiledNow = reports.filter((r) => r.compiled === 'now').length;
  out.line();
  const verdict =
    summary.failed === 0
      ? style.green(style.bold('all checks held'))
      : style.red(style.bold(`${summary.failed} example(s) FAILED`));
  out.line(
    `${verdict}: ${summary.passed} of ${summary.examples} examples passed (${summary.runs - summary.failedRuns} of ${summary.runs} runs)` +
      (summary.skipped > 0 ? `, ${summary.skipped} skipped on this kernel` : '') +
      ` in ${summary.seconds} s; ${compiledNow} compiled now, ${cached} from the cache (${objectCacheDir()}).`,
  );
  out.line();
  out.line(`${style.bold('Next')}: see one run in full (output packet, field-by-field diff, context):`);
  const source = relative(process.cwd(), exampleSourcePath(examplesDir, 'xdp-ttl-forwarder'));
  out.line(`  progrun run ${source} \\`);
  out.line(
    "    --map next_hop:0=hex:0200000000fe02000000009900000000 --packet 'eth()/vlan(vid=100)/ipv4(ttl=64)/udp()'",
  );
  out.line('  progrun probe          what this kernel can test-run');
  // From a checkout the examples' own tests are one command away; an installed CLI only has the sources.
  if (basename(dirname(examplesDir)) === 'dist') {
    out.line("  unit tests like the examples' own: docs/unit-testing.md in the progrun repository");
  } else {
    out.line("  npm test               every example's unit test (examples/*/*.test.ts) and the whole suite");
  }
}

/** `progrun demo`. */
export const demoCommand: Command = {
  name: 'demo',
  help,
  positionals: false,
  options: {
    only: { type: 'string', multiple: true },
    verbose: { type: 'boolean' },
    examples: { type: 'string' },
  },
  execute,
};
