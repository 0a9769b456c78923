// The JUnit report of the CLI upload benchmark (bench/cli-upload.bench.js), also for measuring by hand:
//   node bench/lib/junit-report.js report.xml [tests]     (default 100,000 tests, about 16 MB)
// e.g. the side-by-side with another CLI in docs/operations.md, "Performance".
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { pathToFileURL } from "node:url";

const MIB = 1024 * 1024;

/**
 * One test case of a realistic report, about 160 bytes on average: mostly passing tests, 5 %
 * failures with a message and a stack, 2 % skipped, three quarters with a line of captured output.
 */
function testCase(index) {
  const suite = `com.example.bench.Suite${Math.floor(index / 100)}`;
  const open = `    <testcase classname="${suite}" name="test_${index}" time="0.0${index % 90}"`;
  if (index % 20 === 7) {
    return (
      `${open}><failure message="expected ${index} to equal ${index + 1}" type="AssertionError">` +
      `AssertionError: expected ${index} to equal ${index + 1}\n    at ${suite}.test_${index}(Suite.java:${index})</failure></testcase>\n`
    );
  }
  if (index % 50 === 3) return `${open}><skipped message="not on this platform"/></testcase>\n`;
  if (index % 4 !== 0) {
    return `${open}><system-out>INFO request ${index} answered 200 in ${index % 50} ms (worker ${index % 8})</system-out></testcase>\n`;
  }
  return `${open}/>\n`;
}

/** Streams a report of `count` tests (or of about `bytes` bytes) to `path`; returns the test count. */
export async function writeJunit(path, { count = Number.POSITIVE_INFINITY, bytes = Number.POSITIVE_INFINITY }) {
  const out = createWriteStream(path, { highWaterMark: 4 * MIB });
  let written = 0;
  const write = async (text) => {
    written += text.length;
    if (!out.write(text)) await once(out, "drain");
  };
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n');
  let index = 0;
  while (index < count && written < bytes) {
    const size = Math.min(100, count - index);
    let chunk = `  <testsuite name="com.example.bench.Suite${Math.floor(index / 100)}" tests="${size}">\n`;
    for (let i = 0; i < size; i++) chunk += testCase(index++);
    await write(`${chunk}  </testsuite>\n`);
  }
  await write("</testsuites>\n");
  out.end();
  await once(out, "finish");
  return index;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [path, tests = "100000"] = process.argv.slice(2);
  if (!path || !/^\d+$/.test(tests)) {
    console.error("usage: node bench/lib/junit-report.js <report.xml> [tests]");
    process.exit(2);
  }
  const count = await writeJunit(path, { count: Number(tests) });
  console.log(`${path}: ${count} tests`);
}
