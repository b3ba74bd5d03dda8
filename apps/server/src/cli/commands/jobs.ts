import type { Command } from 'commander';
import type { JobRun } from '../../platform/jobs/job-runs.repository.ts';
import { type CliContext, CliExit } from '../context.ts';
import { line, printJson, printTable } from '../io.ts';

const every = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : `${ms / 3_600_000}h`);
const resultText = (run: JobRun) =>
  run.status === 'failed'
    ? (run.error ?? '')
    : Object.entries(run.result ?? {})
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');

export function registerJobCommands(program: Command, cli: CliContext): void {
  const jobs = program
    .command('jobs')
    .description('Housekeeping jobs: what runs, when it last ran and what it did; run one now')
    .addHelpText(
      'after',
      `
Every server process started with KEYWARD_JOBS=true (the default) looks for due jobs every 15 s; a job's slot runs
once across all processes on the database (a job_runs row claims it). Runs are kept 30 days.`,
    );

  jobs
    .command('list')
    .description('List the jobs with their interval and last run')
    .option('--json', 'print JSON: { jobs: [{ name, description, everyMs, lastRun }] }')
    .action(async (opts: { json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const status = await kw.jobs.status();
        if (opts.json) {
          return printJson(cli.io, {
            jobs: status.map(({ job, last }) => ({
              name: job.name,
              description: job.description,
              everyMs: job.everyMs,
              lastRun: last,
            })),
          });
        }
        printTable(
          cli.io,
          status.map(({ job, last }) => ({
            name: job.name,
            every: every(job.everyMs),
            lastRun: last ? last.startedAt.toISOString() : 'never',
            status: last?.status ?? '',
            result: last ? resultText(last) : '',
            description: job.description,
          })),
          ['name', 'every', 'lastRun', 'status', 'result', 'description'],
        );
      });
    });

  jobs
    .command('run <name>')
    .description('Run one job now, whatever its schedule (exit code 1 if it fails)')
    .option('--json', 'print JSON: { job, status, result | error }')
    .action(async (name: string, opts: { json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const outcome = await kw.jobs.runNow(name);
        if (opts.json) printJson(cli.io, outcome);
        else if (outcome.status === 'succeeded') {
          const result = Object.entries(outcome.result).map(([k, v]) => `${k}=${String(v)}`);
          line(cli.io, `${name} succeeded${result.length ? `: ${result.join(' ')}` : ''}`);
        } else line(cli.io, `${name} failed: ${outcome.error}`);
        if (outcome.status === 'failed') throw new CliExit(1);
      });
    });
}
