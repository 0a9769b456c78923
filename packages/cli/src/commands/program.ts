import { Command, Option } from "commander";
import { DEFAULT_RESOURCES_FILE } from "../resources/file.js";
import { EXIT_CODE_MODES, FROM_RESULTS_RULE } from "../summary/exit-code.js";
import { DEFAULT_BATCH_SIZE } from "../upload/uploader.js";
import { completeRun } from "./complete.js";
import type { CommandContext, GlobalOptions } from "./context.js";
import { createRun } from "./create.js";
import { addArtifact, addField, addLink } from "./resources.js";
import { submit } from "./submit.js";
import { submitThread } from "./submit-thread.js";

/** Builds the context once the global options (--ansi, --debug, --quiet) of the invocation are known. */
export type ContextFactory = (globals: GlobalOptions) => CommandContext;

/** What an action hands back to main: the process exit code. */
export interface ProgramState {
  exitCode: number;
}

const TOKEN_NOTE = `
Authentication:
  The API token is read from ASSAY_TOKEN, or from TESTMO_TOKEN when ASSAY_TOKEN is unset.`;

const RETRY_NOTE = `
Reliability:
  Every request carries an Idempotency-Key. Answers 429 are retried after Retry-After (60 s
  when absent); 5xx, timeouts and network errors with capped exponential backoff
  (ASSAY_MAX_RETRIES, default 10). A retry never stores results twice.`;

function addGlobalOptions(command: Command): Command {
  return command
    .option("--ansi", "force colours and the progress bar")
    .option("--no-ansi", "disable colours and the progress bar (also: NO_COLOR, CI=true)")
    .option("--debug", "verbose logging of requests and responses to stderr (token masked)")
    .option("-q, --quiet", "print only errors, warnings and the output of the child command");
}

function withRunOptions(command: Command): Command {
  return command
    .requiredOption("--instance <url>", "address of the server, e.g. https://assay.example.com (http also works)")
    .requiredOption("--project-id <id>", "ID of the project")
    .requiredOption("--name <name>", "name of the new run")
    .requiredOption("--source <source>", "name of the source (a single word with dashes, e.g. backend-unit)")
    .option("--tags <tags...>", "tags of the run (letters, numbers, underscore, dash)")
    .option("--config <name>", "name of the configuration")
    .option("--config-id <id>", "ID of the configuration (preferred over --config)")
    .option("--milestone <name>", "name of the milestone")
    .option("--milestone-id <id>", "ID of the milestone (preferred over --milestone)");
}

function withResultOptions(command: Command): Command {
  return command
    .requiredOption("--results <files...>", "JUnit XML result files or glob patterns (quote globs: 'reports/**/*.xml')")
    .option("--results-rewriter <file>", "CommonJS script exporting rewriteTest(test), called for every test")
    .option(
      "--ignore-parse-error",
      "skip result files that cannot be parsed (or are missing) instead of failing",
      false,
    )
    .option("--exec-suppress", "do not echo the child command's stdout (it is still captured)", false)
    .option("--exec-stop-error", "if the child command fails, exit with its code without sending anything", false)
    .option("--batch-size <n>", "tests per upload request", String(DEFAULT_BATCH_SIZE))
    .option("--allow-empty", "submit even when no test was found (Testmo's behaviour; by default that fails)")
    .option(
      "--dry-run",
      "parse and print a summary (tests per status, files, warnings); send nothing, no token needed",
    );
}

const proxyOption = () =>
  new Option("--proxy <address>", "HTTP(S) proxy to reach the server through, e.g. http://user:pass@proxy:3128");

const ciMetadataOption = () =>
  new Option(
    "--no-ci-metadata",
    "do not add the CI service's commit and branch (run fields) and build link to the run",
  );

const exitCodeOption = () =>
  new Option(
    "--exit-code <mode>",
    "child: exit with the command's exit code (Testmo's behaviour); " +
      "from-results: decide from the uploaded results, quarantined failures do not fail (see below)",
  )
    .choices(EXIT_CODE_MODES)
    .default("child");

const CI_NOTE = `
CI metadata:
  In GitHub Actions, GitLab CI, Jenkins, CircleCI, Buildkite, Azure Pipelines and Bitbucket
  Pipelines the run gets the fields Commit and Branch and a link to the build, read from the
  service's environment variables; not when the resources already have a field of that name
  (any case) or a link to that URL, and not with --no-ci-metadata.`;

const SUMMARY_NOTE = `
Summary:
  After the run is completed, its address and a comparison with the previous run (new
  failures, still failing, fixed, new and gone tests, slower tests) are printed (not with
  --quiet) and, in GitHub Actions, appended to the job summary (GITHUB_STEP_SUMMARY). A server
  without run comparisons (an older Assay, Testmo) gives one "Summary unavailable" line.

Exit code:
  ${FROM_RESULTS_RULE.replace(/\n/g, "\n  ")}`;

export function buildProgram(version: string, makeContext: ContextFactory, state: ProgramState): Command {
  const program = addGlobalOptions(new Command("assay"))
    .description(
      "Send test results (JUnit XML) to an Assay or Testmo server. " +
        "A drop-in for Testmo's CLI: same commands, options and resources file.",
    )
    .version(version, "-V, --version", "print the version")
    .configureHelp({ sortSubcommands: true, showGlobalOptions: false })
    .addHelpText(
      "after",
      `
Examples:
  $ ASSAY_TOKEN=… assay automation:run:submit --instance https://assay.example.com \\
      --project-id 1 --name "CI build 42" --source backend \\
      --results 'reports/**/*.xml' -- npm test
  $ assay automation:run:submit --help
${TOKEN_NOTE}`,
    );

  const act =
    <O extends object>(run: (context: CommandContext, options: O, command: string[]) => Promise<number>) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const positional = Array.isArray(args[0]) ? (args[0] as string[]) : [];
      const options = command.optsWithGlobals() as O & GlobalOptions;
      state.exitCode = await run(makeContext(options), options, positional);
    };

  addGlobalOptions(
    withResultOptions(withRunOptions(program.command("automation:run:submit")))
      .option("--resources <file>", "resources file (fields, links, artifacts) to attach to the run")
      .addOption(ciMetadataOption())
      .addOption(exitCodeOption())
      .addOption(proxyOption()),
  )
    .summary("create a run, send results from JUnit XML files and complete the run")
    .description(
      "Create a new automation run, optionally run a command first (after --), send the results " +
        "of JUnit XML files in one thread and mark the run as completed. " +
        "Exits with the command's exit code (128 + signal number if it was killed by a signal).",
    )
    .usage("[options] -- [command...]")
    .argument("[command...]", "command to run first (its output and time are recorded)")
    .addHelpText(
      "after",
      `
Examples:
  $ assay automation:run:submit --instance https://assay.example.com --project-id 1 \\
      --name "Build $CI_BUILD" --source unit --results 'reports/*.xml'
  $ assay automation:run:submit --instance http://localhost:8080 --project-id 1 --name nightly \\
      --source e2e --tags nightly chrome --results 'out/**/*.xml' -- npx playwright test
  $ assay automation:run:submit … --dry-run        # show what would be sent
  $ assay automation:run:submit … --exit-code from-results -- npm test
${TOKEN_NOTE}
${RETRY_NOTE}
${CI_NOTE}
${SUMMARY_NOTE}`,
    )
    .action(act(submit));

  addGlobalOptions(withRunOptions(program.command("automation:run:create")))
    .option("--resources <file>", "resources file (fields, links, artifacts) to attach to the run")
    .addOption(ciMetadataOption())
    .addOption(proxyOption())
    .summary("create a new automation run and print its ID (for parallel threads)")
    .description(
      "Create a new, empty automation run and print only its ID on stdout, so that several " +
        "automation:run:submit-thread jobs can add results to it in parallel.",
    )
    .addHelpText(
      "after",
      `
Examples:
  $ RUN_ID=$(assay automation:run:create --instance https://assay.example.com \\
      --project-id 1 --name "Build 42" --source e2e)
  $ assay automation:run:submit-thread --instance https://assay.example.com --run-id "$RUN_ID" \\
      --results 'shard-1/*.xml' -- npm run test:shard1
  $ assay automation:run:complete --instance https://assay.example.com --run-id "$RUN_ID"
${TOKEN_NOTE}
${CI_NOTE}`,
    )
    .action(act(createRun));

  addGlobalOptions(
    withResultOptions(
      program
        .command("automation:run:submit-thread")
        .requiredOption("--instance <url>", "address of the server, e.g. https://assay.example.com")
        .requiredOption("--run-id <id>", "ID of the run (from automation:run:create)"),
    )
      .option("--run-resources <file>", "resources file whose fields, links and artifacts go on the run")
      .option("--thread-resources <file>", "resources file whose fields and artifacts go on the new thread")
      .addOption(proxyOption()),
  )
    .summary("send results as a new thread of an existing run and complete the thread")
    .description(
      "Add a new thread to an existing run, optionally run a command first (after --), send the " +
        "results of JUnit XML files and mark the thread as completed. Several can run in parallel.",
    )
    .usage("[options] -- [command...]")
    .argument("[command...]", "command to run first (its output and time are recorded)")
    .addHelpText(
      "after",
      `
Examples:
  $ assay automation:run:submit-thread --instance https://assay.example.com --run-id 17 \\
      --results 'reports/*.xml' -- ./run-shard.sh 2
${TOKEN_NOTE}
${RETRY_NOTE}`,
    )
    .action(act(submitThread));

  addGlobalOptions(
    program
      .command("automation:run:complete")
      .requiredOption("--instance <url>", "address of the server, e.g. https://assay.example.com")
      .requiredOption("--run-id <id>", "ID of the run")
      .option("--no-measure-elapsed", "derive the run time from its threads instead of the wall time")
      .option("--resources <file>", "resources file to append to the run before completing it")
      .addOption(exitCodeOption())
      .addOption(proxyOption()),
  )
    .summary("mark an automation run (and its threads) as completed")
    .description(
      "Mark a run and all its open threads as completed, optionally appending resources first, " +
        "then print its summary.",
    )
    .addHelpText(
      "after",
      `
Examples:
  $ assay automation:run:complete --instance https://assay.example.com --run-id "$RUN_ID"
  $ assay automation:run:complete --instance https://assay.example.com --run-id "$RUN_ID" --exit-code from-results
${TOKEN_NOTE}
${SUMMARY_NOTE}`,
    )
    .action(act(completeRun));

  addGlobalOptions(
    program
      .command("automation:resources:add-field")
      .requiredOption("--type <type>", "string, url, text, console or html")
      .requiredOption("--name <name>", "name of the field")
      .option("--value <value>", "value for string and url fields (text, console and html read stdin)")
      .option("--resources <file>", "resources file to write", DEFAULT_RESOURCES_FILE),
  )
    .summary("add a field to the resources file (local only)")
    .description(
      "Add a field to the resources file, to be attached to a run or thread later. No network. " +
        "Values of text, console and html fields are read from stdin (a pipe or a redirected file).",
    )
    .addHelpText(
      "after",
      `
Examples:
  $ assay automation:resources:add-field --type string --name Version --value 1.2.3
  $ git log -1 | assay automation:resources:add-field --type text --name Commit
  $ assay automation:resources:add-field --type console --name Build < build.log`,
    )
    .action(act(addField));

  addGlobalOptions(
    program
      .command("automation:resources:add-link")
      .requiredOption("--name <name>", "title of the link")
      .requiredOption("--url <link>", "http, https or ftp address")
      .option("--note <text>", "short note (80 characters are sent)")
      .option("--resources <file>", "resources file to write", DEFAULT_RESOURCES_FILE),
  )
    .summary("add a link to the resources file (local only)")
    .description("Add a link (for example to the CI build) to the resources file. No network.")
    .addHelpText(
      "after",
      `
Examples:
  $ assay automation:resources:add-link --name "CI build" --url "$CI_JOB_URL" --note "job 42"`,
    )
    .action(act(addLink));

  addGlobalOptions(
    program
      .command("automation:resources:add-artifact")
      .requiredOption("--name <name>", "name of the artifact")
      .requiredOption("--url <link>", "http, https or ftp address where the artifact can be downloaded")
      .option("--note <text>", "short note (80 characters are sent)")
      .option("--file <file>", "local copy of the artifact, to record its size and MIME type (not uploaded)")
      .option("--resources <file>", "resources file to write", DEFAULT_RESOURCES_FILE),
  )
    .summary("add an artifact (a link to a file) to the resources file (local only)")
    .description("Add an artifact to the resources file. The file is not uploaded; its URL is recorded.")
    .addHelpText(
      "after",
      `
Examples:
  $ assay automation:resources:add-artifact --name coverage.html --url "$ARTIFACTS/coverage.html" \\
      --file coverage/index.html`,
    )
    .action(act(addArtifact));

  return program;
}
