// Parse benchmark for the assay CLI's streaming JUnit parser.
//
//   ASSAY_BENCH_PARSE_MB=500 node bench/cli-parse.bench.js
//
// Generates (streams) a JUnit file of the requested size into a temp dir, parses
// it in a child process with the built parser, prints throughput, test count and
// the child's peak RSS, and deletes the file. Needs `npx tsc -b packages/cli` first.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MIB = 1024 * 1024;
const here = dirname(fileURLToPath(import.meta.url));
const parserModule = join(here, "../packages/cli/dist/junit/index.js");

async function main() {
  const sizeMb = Number(process.env.ASSAY_BENCH_PARSE_MB ?? 500);
  if (!(sizeMb > 0))
    throw new Error(`ASSAY_BENCH_PARSE_MB must be a positive number, got ${process.env.ASSAY_BENCH_PARSE_MB}`);
  if (!existsSync(parserModule)) throw new Error(`${parserModule} is missing: run npx tsc -b packages/cli first`);
  const dir = mkdtempSync(join(tmpdir(), "assay-bench-parse-"));
  try {
    await parseGenerated(join(dir, `cli-parse-${sizeMb}mb.xml`), sizeMb);
    await parseLongOutputs(join(dir, "cli-parse-long-outputs.xml"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function parseGenerated(file, sizeMb) {
  const started = performance.now();
  const expectedTests = await generate(file, Math.round(sizeMb * MIB));
  console.log(`generated ${sizeMb} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const result = await runChild(file);
  const fileMb = statSync(file).size / MIB;
  console.log(`parse file: ${fileMb.toFixed(1)} MB (${file})`);
  console.log(`parse throughput: ${(fileMb / result.seconds).toFixed(1)} MB/s`);
  const saxes = await runChild(file, "saxes");
  console.log(`parse throughput with saxes alone (the fast scanner off): ${(fileMb / saxes.seconds).toFixed(1)} MB/s`);
  console.log(`parse tests: ${result.tests}`);
  console.log(`parse peak RSS: ${(result.maxRssKb / 1024).toFixed(1)} MB`);
  if (!result.complete || result.tests !== expectedTests) {
    throw new Error(`parsed ${result.tests} tests, the file holds ${expectedTests}`);
  }
}

/**
 * Tests that log a lot: 2 MB of CDATA output and a 2 MB comment each, read in 16 KiB chunks. A scanner that
 * read such a section from its start at every chunk took seconds here where saxes takes a tenth of one.
 */
async function parseLongOutputs(file) {
  const line = "INFO a line of a long log, as a chatty test writes it (worker 3)\n";
  const output = line.repeat(Math.ceil((2 * MIB) / line.length));
  const cases = Array.from(
    { length: 10 },
    (_, i) =>
      `<testcase name="chatty_${i}"><system-out><![CDATA[${output}]]></system-out><!-- ${"x".repeat(2 * MIB)} --></testcase>`,
  );
  writeFileSync(file, `<testsuite name="long outputs">${cases.join("\n")}</testsuite>\n`);
  const fileMb = statSync(file).size / MIB;
  const result = await runChild(file);
  if (result.tests !== cases.length) throw new Error(`parsed ${result.tests} tests, the file holds ${cases.length}`);
  console.log(
    `parse throughput, long outputs (${fileMb.toFixed(0)} MB, 10 tests): ${(fileMb / result.seconds).toFixed(1)} MB/s`,
  );
}

// A realistic mix of about 300 bytes per test (500 MB holds about 1.8 million
// tests): passing tests with captured log output, some failures with stack
// traces, some with attachment markers and properties.
function testCase(index) {
  const suite = `com.example.module${index % 97}.Service${index % 1013}Test`;
  const file = `src/test/java/com/example/module${index % 97}/Service${index % 1013}Test.java`;
  const time = `0.${(index % 997).toString().padStart(3, "0")}`;
  const head = `    <testcase classname="${suite}" name="case_${index}_handles_input" file="${file}" line="${index % 400}" time="${time}"`;
  if (index % 50 === 0) {
    return `${head}>
      <failure message="expected: &lt;${index}&gt; but was: &lt;${index + 1}&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <${index}> but was: <${index + 1}>
	at ${suite}.case_${index}(Service.java:${index % 400})]]></failure>
    </testcase>\n`;
  }
  if (index % 20 === 0) {
    return `${head}>
      <properties><property name="issue" value="PROJ-${index % 5000}"/></properties>
      <system-out>started case ${index}
[[ATTACHMENT|screenshots/case-${index}.png]]
finished in ${index % 1000} ms</system-out>
    </testcase>\n`;
  }
  if (index % 2 === 0) {
    return `${head}>
      <system-out>INFO  connecting to fixture database (pool size 4)
INFO  seeded ${index % 100} rows into table orders
DEBUG request GET /api/orders/${index} answered 200 in ${index % 50} ms</system-out>
    </testcase>\n`;
  }
  return `${head}/>\n`;
}

const SUITE_SIZE = 1000;
const FOOTER = "</testsuites>\n";

async function generate(file, targetBytes) {
  const out = createWriteStream(file, { highWaterMark: 8 * MIB });
  let written = 0;
  const write = async (text) => {
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise((resolve) => out.once("drain", resolve));
  };
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench">\n`);
  let index = 0;
  // Stop once the next suite would no longer fit; the tail is padded with a comment to the exact size.
  const suiteBudget = SUITE_SIZE * 1000 + 200; // generous upper bound of one suite
  while (written + suiteBudget + FOOTER.length + 64 < targetBytes) {
    let chunk = `  <testsuite name="suite${index / SUITE_SIZE}" tests="${SUITE_SIZE}">\n`;
    for (let i = 0; i < SUITE_SIZE; i++) chunk += testCase(index++);
    await write(`${chunk}  </testsuite>\n`);
  }
  const padding = targetBytes - written - FOOTER.length - "<!--  -->\n".length;
  await write(`<!-- ${"x".repeat(Math.max(0, padding))} -->\n${FOOTER}`);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return index;
}

function runChild(file, tokenizer = "auto") {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", file, tokenizer], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (data) => {
      stdout += data;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`parser child exited with code ${code}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

async function parseInChild(file, tokenizer) {
  const { parseJUnitFile } = await import(parserModule);
  const started = performance.now();
  const parse = parseJUnitFile(file, { tokenizer });
  let tests = 0;
  for await (const _test of parse) tests++;
  const seconds = (performance.now() - started) / 1000;
  const { maxRSS } = process.resourceUsage(); // kilobytes, for this process only
  process.stdout.write(JSON.stringify({ tests, seconds, maxRssKb: maxRSS, complete: parse.summary.complete }));
}

// Entry point last, so every constant above is initialised before it runs.
if (process.argv[2] === "--child") {
  await parseInChild(process.argv[3], process.argv[4]);
} else {
  await main().catch((error) => {
    console.error(`parse bench failed: ${error?.stack ?? error}`);
    process.exit(1);
  });
}
