import { describe, expect, it } from "vitest";
import { type FailureInput, type FailureSignature, failureSignature, normaliseMessage } from "./signature.js";

const sig = (text: string, extra: Omit<FailureInput, "text"> = {}): FailureSignature =>
  failureSignature({ ...extra, text });

describe("normaliseMessage", () => {
  it("replaces numbers: integers, negatives, decimals, thousands separators, exponents", () => {
    expect(normaliseMessage("expected 42 but got -3.5, 1,234,567.89 and 1e-5")).toBe(
      "expected <num> but got <num>, <num> and <num>",
    );
  });

  it("replaces 0x hex and hex runs of 8+ that mix digits and letters, not plain words", () => {
    expect(normaliseMessage("ptr 0x7ffd5e8c, id 5f2b8c1e9a3d4e7f, sha 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39")).toBe(
      "ptr <hex>, id <hex>, sha <hex>",
    );
    expect(normaliseMessage("deadbeefcafe and 12345678")).toBe("deadbeefcafe and <num>");
  });

  it("replaces object identities but keeps the class", () => {
    expect(normaliseMessage("com.acme.Cart@1a2b3c is not Cart@4d5e6f")).toBe("com.acme.Cart@<hex> is not Cart@<hex>");
  });

  it("replaces UUIDs whole, not as hex and numbers", () => {
    expect(normaliseMessage("run 123e4567-e89b-12d3-a456-426614174000 failed")).toBe("run <uuid> failed");
  });

  it("replaces timestamps, dates and clock times", () => {
    expect(
      normaliseMessage("at 2024-03-05T10:22:33.123Z, 2024-03-05 10:22:33+01:00, 2024-03-05, 2024/03/05, 10:22:33 PM"),
    ).toBe("at <time>, <time>, <time>, <time>, <time>");
  });

  it("leaves line:column pairs to the number rule rather than calling them times", () => {
    expect(normaliseMessage("Foo.java:42:17")).toBe("Foo.java:<num>:<num>");
  });

  it("replaces durations", () => {
    expect(normaliseMessage("took 123ms, 1.5s, 2m30s, 5000 ms, 3 seconds (0.00s)")).toBe(
      "took <duration>, <duration>, <duration>, <duration>, <duration> (<duration>)",
    );
  });

  it("replaces unix, home, windows and UNC paths", () => {
    expect(
      normaliseMessage(
        "open /tmp/pytest-of-ci/pytest-12/test_upload0/out.txt; C:\\Users\\ci\\AppData\\Local\\Temp\\x.tmp; \\\\srv\\share\\a; ~/x/y; /data.json",
      ),
    ).toBe("open <path>; <path>; <path>; <path>; <path>");
  });

  it("leaves a lone /segment and words joined by a slash alone", () => {
    expect(normaliseMessage("GET /health: Failure/Error and/or")).toBe("GET /health: Failure/Error and/or");
  });

  it("replaces URLs before paths and e-mail addresses", () => {
    expect(normaliseMessage("GET https://api.example.com:8443/v1/users/42?x=1 failed")).toBe("GET <url> failed");
    expect(normaliseMessage("file:///home/ci/app/x.js")).toBe("<url>");
    expect(normaliseMessage("mail to bob.smith+tag@example.co.uk bounced")).toBe("mail to <email> bounced");
  });

  it("replaces IPv4 and IPv6 addresses with their ports", () => {
    expect(
      normaliseMessage("ECONNREFUSED 127.0.0.1:54321, [::1]:8080, fe80::1ff:fe23:4567:890a, 2001:db8:0:0:0:0:2:1"),
    ).toBe("ECONNREFUSED <ip>, <ip>, <ip>, <ip>");
    expect(normaliseMessage("uninitialized constant Foo::Bar")).toBe("uninitialized constant Foo::Bar");
  });

  it("replaces quoted values, but an apostrophe inside a word opens no quote", () => {
    expect(normaliseMessage("expected 'user_42' to equal \"user_7\", `x`, Ruby's `foo'")).toBe(
      "expected <str> to equal <str>, <str>, Ruby's <str>",
    );
    expect(normaliseMessage("can't find the users' names")).toBe("can't find the users' names");
  });

  it("keeps digits that belong to identifiers and versions", () => {
    expect(normaliseMessage("sha256 v1.2.3 utf8 int64 user_42 order-17 HTTP/1.1")).toBe(
      "sha256 v1.2.3 utf8 int64 user_<num> order-<num> HTTP/<num>",
    );
  });

  it("collapses whitespace, drops terminal colours, keeps case, caps at 500 chars", () => {
    expect(normaliseMessage("  \u001b[31mExpected\u001b[39m \n\t Value  ")).toBe("Expected Value");
    expect(normaliseMessage("word ".repeat(200))).toHaveLength(500);
  });
});

// --- Java / JUnit 5 -----------------------------------------------------------

function junit5(o: { expected: number; actual: number; line: number; method?: string; helperLine?: number }): string {
  return `org.opentest4j.AssertionFailedError: expected: <${o.expected}> but was: <${o.actual}>
	at org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)
	at org.junit.jupiter.api.AssertionFailureBuilder.buildAndThrow(AssertionFailureBuilder.java:132)
	at org.junit.jupiter.api.AssertEquals.failNotEqual(AssertEquals.java:197)
	at org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:150)
	at org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:563)
	at com.acme.cart.CartTest.${o.method ?? "totalIsSum"}(CartTest.java:${o.line})
	at java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
	at java.base/java.lang.reflect.Method.invoke(Method.java:580)
	at org.junit.platform.commons.util.ReflectionUtils.invokeMethod(ReflectionUtils.java:728)
	at app//com.acme.cart.Cart.lambda$total$0(Cart.java:${o.helperLine ?? 17})
	at java.base/java.util.ArrayList.forEach(ArrayList.java:1596)
	at org.apache.maven.surefire.junitplatform.JUnitPlatformProvider.invokeAllTests(JUnitPlatformProvider.java:150)
	at org.gradle.api.internal.tasks.testing.junitplatform.JUnitPlatformTestClassProcessor.stop(JUnitPlatformTestClassProcessor.java:65)
`;
}

function javaNotFound(o: { id: number; dir: string; ms: number; lambda: string }): string {
  return `java.lang.IllegalStateException: Order ${o.id} not found in ${o.dir}/orders.db after ${o.ms}ms
	at com.acme.orders.OrderRepository.find(OrderRepository.java:88)
	at com.acme.orders.OrderService$$Lambda${o.lambda}.apply(Unknown Source)
	at com.acme.orders.OrderServiceTest.findsOrder(OrderServiceTest.java:31)
	at java.base/java.lang.Thread.run(Thread.java:1583)
Caused by: java.io.FileNotFoundException: ${o.dir}/orders.db
	at com.acme.orders.Storage.open(Storage.java:12)
	... 4 more
`;
}

describe("Java (JUnit 5)", () => {
  it("parses the type, normalises the message and keeps only the project's frames", () => {
    const s = sig(junit5({ expected: 3, actual: 4, line: 42 }));
    expect(s.type).toBe("org.opentest4j.AssertionFailedError");
    expect(s.message).toBe("expected: <<num>> but was: <<num>>");
    expect(s.frames).toEqual([
      "com.acme.cart.CartTest.totalIsSum (CartTest.java)",
      "com.acme.cart.Cart.lambda$total$0 (Cart.java)",
    ]);
    expect(s.sample).toBe("org.opentest4j.AssertionFailedError: expected: <3> but was: <4>");
    expect(s.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it("gives the same hash when only values and line numbers differ", () => {
    const a = sig(junit5({ expected: 3, actual: 4, line: 42 }));
    const b = sig(junit5({ expected: 1200, actual: -7, line: 45, helperLine: 19 }));
    expect(b.hash).toBe(a.hash);
  });

  it("gives another hash for another message or another own frame", () => {
    const a = sig(junit5({ expected: 3, actual: 4, line: 42 }));
    const otherMessage = sig(junit5({ expected: 3, actual: 4, line: 42 }).replace("but was", "but got"));
    const otherFrame = sig(junit5({ expected: 3, actual: 4, line: 42, method: "discountApplies" }));
    expect(otherMessage.hash).not.toBe(a.hash);
    expect(otherFrame.hash).not.toBe(a.hash);
  });

  it("ignores ids, temp dirs, durations and lambda class names, and reads frames past Caused by", () => {
    const a = sig(javaNotFound({ id: 4711, dir: "/tmp/junit5837261", ms: 1500, lambda: "$14/0x0000000800c02a00" }));
    const b = sig(javaNotFound({ id: 12, dir: "/tmp/junit99120", ms: 30, lambda: "/0x000001e0a1003a00" }));
    expect(b.hash).toBe(a.hash);
    expect(a.type).toBe("java.lang.IllegalStateException");
    expect(a.message).toBe("Order <num> not found in <path> after <duration>");
    expect(a.frames).toEqual([
      "com.acme.orders.OrderRepository.find (OrderRepository.java)",
      "com.acme.orders.OrderService$$Lambda.apply",
      "com.acme.orders.OrderServiceTest.findsOrder (OrderServiceTest.java)",
    ]);
  });

  it("agrees with itself whether the message and type come as attributes or in the text", () => {
    const text = junit5({ expected: 3, actual: 4, line: 42 });
    const withAttributes = failureSignature({
      type: "org.opentest4j.AssertionFailedError",
      message: "expected: <3> but was: <4>",
      text,
    });
    expect(withAttributes.hash).toBe(sig(text).hash);
  });
});

// --- Python / pytest ----------------------------------------------------------

function pytestAssert(o: { status: number; expected: number; line: number; name?: string; bytes: number }): string {
  return `client = <FlaskClient <Flask 'app'>>

    def ${o.name ?? "test_create_user"}(client):
        resp = client.post("/api/users", json={"name": "user_42"})
>       assert resp.status_code == ${o.expected}
E       assert ${o.status} == ${o.expected}
E        +  where ${o.status} = <WrapperTestResponse ${o.bytes} bytes [${o.status} INTERNAL SERVER ERROR]>.status_code

tests/test_users.py:${o.line}: AssertionError`;
}

function keyErrorTraceback(o: { key: string; root: string; line: number; fn?: string }): string {
  return `Traceback (most recent call last):
  File "/usr/lib/python3.11/unittest/case.py", line 57, in testPartExecutor
    yield
  File "/usr/lib/python3.11/unittest/case.py", line 623, in run
    self._callTestMethod(testMethod)
  File "${o.root}/tests/test_users.py", line ${o.line}, in test_lookup
    user = repo.find("${o.key}")
  File "${o.root}/app/repo.py", line 8, in ${o.fn ?? "find"}
    return self._users[key]
           ~~~~~~~~~~~^^^^^
KeyError: '${o.key}'`;
}

describe("Python", () => {
  it("takes pytest's E lines as the message and its location line for the type and frame", () => {
    const s = sig(pytestAssert({ status: 500, expected: 200, line: 14, bytes: 35 }));
    expect(s.type).toBe("AssertionError");
    expect(s.message).toBe(
      "assert <num> == <num> + where <num> = <WrapperTestResponse <num> bytes [<num> INTERNAL SERVER ERROR]>.status_code",
    );
    expect(s.frames).toEqual(["test_create_user (test_users.py)"]);
    expect(s.sample).toBe("assert 500 == 200");
  });

  it("gives pytest failures differing in values and lines the same hash, and others another", () => {
    const a = sig(pytestAssert({ status: 500, expected: 200, line: 14, bytes: 35 }));
    expect(sig(pytestAssert({ status: 503, expected: 201, line: 17, bytes: 1024 })).hash).toBe(a.hash);
    expect(
      sig(pytestAssert({ status: 500, expected: 200, line: 14, bytes: 35, name: "test_update_user" })).hash,
    ).not.toBe(a.hash);
    const otherMessage = pytestAssert({ status: 500, expected: 200, line: 14, bytes: 35 }).replace(
      "E       assert 500 == 200",
      "E       assert 500 != 200",
    );
    expect(sig(otherMessage).hash).not.toBe(a.hash);
  });

  it("agrees with pytest's message attribute", () => {
    const text = pytestAssert({ status: 500, expected: 200, line: 14, bytes: 35 });
    const message =
      "assert 500 == 200\n +  where 500 = <WrapperTestResponse 35 bytes [500 INTERNAL SERVER ERROR]>.status_code";
    expect(failureSignature({ message, text }).hash).toBe(sig(text).hash);
  });

  it("takes a traceback's last line as the message, its innermost own frames, not unittest's", () => {
    const s = sig(keyErrorTraceback({ key: "user_42", root: "/app", line: 21 }));
    expect(s.type).toBe("KeyError");
    expect(s.message).toBe("<str>");
    expect(s.frames).toEqual(["test_lookup (test_users.py)", "find (repo.py)"]);
    expect(s.sample).toBe("KeyError: 'user_42'");
  });

  it("gives KeyErrors differing in the key, checkout and line the same hash, another function another", () => {
    const a = sig(keyErrorTraceback({ key: "user_42", root: "/app", line: 21 }));
    expect(sig(keyErrorTraceback({ key: "user_7", root: "/home/runner/work/app", line: 25 })).hash).toBe(a.hash);
    expect(sig(keyErrorTraceback({ key: "user_42", root: "/app", line: 21, fn: "get" })).hash).not.toBe(a.hash);
    expect(
      sig(keyErrorTraceback({ key: "user_42", root: "/app", line: 21 }).replace("KeyError", "IndexError")).hash,
    ).not.toBe(a.hash);
  });

  it("names the function of each pytest entry from the def shown above it, innermost last", () => {
    const text = `    def test_lookup():
>       helper(3)

tests/test_x.py:5: 
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ 

n = 3

    def helper(n):
>       raise KeyError(f"user_{n}")
E       KeyError: 'user_3'

tests/test_x.py:9: KeyError`;
    const s = sig(text);
    expect(s).toMatchObject({
      type: "KeyError",
      message: "<str>",
      frames: ["test_lookup (test_x.py)", "helper (test_x.py)"],
    });
  });

  it("finds the message and innermost frames at the end of a traceback longer than the scan window", () => {
    const frames = Array.from(
      { length: 300 },
      (_, i) => `  File "/app/src/mod${i}.py", line ${i}, in fn${i}\n    call()`,
    );
    const text = `Traceback (most recent call last):\n${frames.join("\n")}\nValueError: invalid literal for int() with base 10: 'abc'`;
    expect(text.length).toBeGreaterThan(16_000);
    const s = sig(text);
    expect(s.type).toBe("ValueError");
    expect(s.message).toBe("invalid literal for int() with base <num>: <str>");
    expect(s.frames).toEqual(["fn297 (mod297.py)", "fn298 (mod298.py)", "fn299 (mod299.py)"]);
  });
});

// --- JavaScript ---------------------------------------------------------------

function jestToBe(o: { expected: number; received: number; root: string; line: number; fn?: string }): string {
  return `Error: expect(received).toBe(expected) // Object.is equality

Expected: ${o.expected}
Received: ${o.received}
    at Object.${o.fn ?? "toBe"} (${o.root}/src/cart.test.js:${o.line}:23)
    at Promise.then.completed (${o.root}/node_modules/jest-circus/build/utils.js:298:28)
    at new Promise (<anonymous>)
    at callAsyncCircusFn (${o.root}/node_modules/jest-circus/build/utils.js:231:10)
    at _callCircusTest (${o.root}/node_modules/jest-circus/build/run.js:316:40)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)`;
}

function nodeAssert(o: { a: number; b: number; root: string; line: number; helper?: string }): string {
  return `AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

${o.a} !== ${o.b}

    at ${o.helper ?? "total"} (file://${o.root}/src/cart.mjs:${o.line}:10)
    at TestContext.<anonymous> (file://${o.root}/test/cart.test.mjs:12:10)
    at Test.runInAsyncScope (node:async_hooks:206:9)
    at async Test.run (node:internal/test_runner/test:639:25)
    at async Promise.all (index 0)`;
}

describe("JavaScript", () => {
  it("normalises Jest's expect(received).toBe(expected) and drops jest-circus and node internals", () => {
    const s = sig(jestToBe({ expected: 3, received: 4, root: "/home/ci/app", line: 14 }));
    expect(s.type).toBe("Error");
    expect(s.message).toBe("expect(received).toBe(expected) // Object.is equality Expected: <num> Received: <num>");
    expect(s.frames).toEqual(["Object.toBe (cart.test.js)"]);
  });

  it("gives Jest failures differing in values, checkout and line the same hash, others another", () => {
    const a = sig(jestToBe({ expected: 3, received: 4, root: "/home/ci/app", line: 14 }));
    expect(sig(jestToBe({ expected: 10, received: 0, root: "/builds/x/y", line: 19 })).hash).toBe(a.hash);
    expect(sig(jestToBe({ expected: 3, received: 4, root: "/home/ci/app", line: 14, fn: "toEqual" })).hash).not.toBe(
      a.hash,
    );
    expect(
      sig(jestToBe({ expected: 3, received: 4, root: "/home/ci/app", line: 14 }).replace("toBe", "toBeCloseTo")).hash,
    ).not.toBe(a.hash);
  });

  it("reads Node's AssertionError [ERR_ASSERTION] as type AssertionError, frames from file URLs", () => {
    const s = sig(nodeAssert({ a: 5, b: 7, root: "/home/ci/app", line: 3 }));
    expect(s.type).toBe("AssertionError");
    expect(s.message).toBe("Expected values to be strictly equal: <num> !== <num>");
    expect(s.frames).toEqual(["total (cart.mjs)", "TestContext.<anonymous> (cart.test.mjs)"]);
    expect(s.sample).toBe("AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:");
    // mocha-junit-reporter's type attribute is err.name: the same signature
    expect(sig(nodeAssert({ a: 5, b: 7, root: "/home/ci/app", line: 3 }), { type: "AssertionError" }).hash).toBe(
      s.hash,
    );
  });

  it("gives Node failures differing in values and paths the same hash, another own frame another", () => {
    const a = sig(nodeAssert({ a: 5, b: 7, root: "/home/ci/app", line: 3 }));
    expect(sig(nodeAssert({ a: 12, b: 1, root: "/tmp/ci-8812", line: 4 })).hash).toBe(a.hash);
    expect(sig(nodeAssert({ a: 5, b: 7, root: "/home/ci/app", line: 3, helper: "subtotal" })).hash).not.toBe(a.hash);
  });

  it("reads Vitest's ❯ frames and Windows paths", () => {
    const vitest = `AssertionError: expected 4 to be 3 // Object.is equality\n\n ❯ src/sum.test.ts:5:17\n ❯ helper src/helpers.ts:3:9`;
    expect(sig(vitest).frames).toEqual(["sum.test.ts", "helper (helpers.ts)"]);
    const windows = `TypeError: Cannot read properties of undefined (reading 'id')
    at getUser (C:\\work\\app\\src\\users.js:12:20)
    at Context.<anonymous> (C:\\work\\app\\test\\users.test.js:8:5)
    at process.processImmediate (node:internal/timers:476:21)`;
    expect(sig(windows)).toMatchObject({
      type: "TypeError",
      message: "Cannot read properties of undefined (reading <str>)",
      frames: ["getUser (users.js)", "Context.<anonymous> (users.test.js)"],
    });
  });

  it("takes the message from jest-junit's message attribute, which carries the stack too", () => {
    const text = jestToBe({ expected: 3, received: 4, root: "/home/ci/app", line: 14 });
    expect(failureSignature({ message: text, text }).hash).toBe(sig(text).hash);
  });
});

// --- Go -----------------------------------------------------------------------

function goTestOutput(o: { want: number; got: number; line: number; file?: string; took: string }): string {
  return `=== RUN   TestAdd
    ${o.file ?? "calc_test.go"}:${o.line}: expected ${o.want}, got ${o.got}
--- FAIL: TestAdd (${o.took})
`;
}

function goPanic(o: { goroutine: number; addr: string; root: string; line: number; fn?: string }): string {
  return `=== RUN   TestDivide
--- FAIL: TestDivide (0.00s)
panic: runtime error: integer divide by zero [recovered]
	panic: runtime error: integer divide by zero
[signal SIGFPE: floating-point exception code=0x1 addr=${o.addr} pc=${o.addr}]

goroutine ${o.goroutine} [running]:
testing.tRunner.func1.2({0x5a1b20, 0x6b7f40})
	/usr/local/go/src/testing/testing.go:1545 +0x238
testing.tRunner.func1()
	/usr/local/go/src/testing/testing.go:1548 +0x397
panic({0x5a1b20?, 0x6b7f40?})
	/usr/local/go/src/runtime/panic.go:914 +0x21f
github.com/acme/calc.${o.fn ?? "Divide"}(...)
	${o.root}/calc.go:${o.line}
github.com/acme/calc.TestDivide(0xc000007860?)
	${o.root}/calc_test.go:31 +0x1d
testing.tRunner(0xc0000076c0, 0x5c8f48)
	/usr/local/go/src/testing/testing.go:1595 +0xff
created by testing.(*T).Run in goroutine 1
	/usr/local/go/src/testing/testing.go:1648 +0x3ad
exit status 2
FAIL	github.com/acme/calc	0.005s`;
}

describe("Go", () => {
  it("takes the message and file of a `go test` line", () => {
    const s = sig(goTestOutput({ want: 5, got: 7, line: 23, took: "0.00s" }));
    expect(s).toMatchObject({ type: null, message: "expected <num>, got <num>", frames: ["calc_test.go"] });
    expect(s.sample).toBe("expected 5, got 7");
  });

  it("gives `go test` failures differing in values, line and time the same hash, others another", () => {
    const a = sig(goTestOutput({ want: 5, got: 7, line: 23, took: "0.00s" }));
    expect(sig(goTestOutput({ want: 100, got: -1, line: 29, took: "1.32s" })).hash).toBe(a.hash);
    expect(sig(goTestOutput({ want: 5, got: 7, line: 23, took: "0.00s", file: "sum_test.go" })).hash).not.toBe(a.hash);
    expect(sig(goTestOutput({ want: 5, got: 7, line: 23, took: "0.00s" }).replace("expected", "wanted")).hash).not.toBe(
      a.hash,
    );
  });

  it('ignores go-junit-report\'s message="Failed" in favour of the output', () => {
    const text = goTestOutput({ want: 5, got: 7, line: 23, took: "0.00s" });
    expect(failureSignature({ message: "Failed", type: "", text }).hash).toBe(sig(text).hash);
  });

  it("reads a panic's goroutine dump without testing and runtime frames", () => {
    const s = sig(goPanic({ goroutine: 7, addr: "0x4f1d2a", root: "/home/runner/work/calc/calc", line: 12 }));
    expect(s.type).toBeNull();
    expect(s.message).toBe(
      "panic: runtime error: integer divide by zero [recovered] panic: runtime error: integer divide by zero [signal SIGFPE: floating-point exception code=<hex> addr=<hex> pc=<hex>]",
    );
    expect(s.frames).toEqual(["calc.Divide (calc.go)", "calc.TestDivide (calc_test.go)"]);
  });

  it("gives panics differing in goroutine, addresses and checkout the same hash, another function another", () => {
    const a = sig(goPanic({ goroutine: 7, addr: "0x4f1d2a", root: "/home/runner/work/calc/calc", line: 12 }));
    expect(sig(goPanic({ goroutine: 19, addr: "0x51a0f3", root: "/src/calc", line: 14 })).hash).toBe(a.hash);
    expect(sig(goPanic({ goroutine: 7, addr: "0x4f1d2a", root: "/src/calc", line: 12, fn: "Mod" })).hash).not.toBe(
      a.hash,
    );
  });
});

// --- .NET ---------------------------------------------------------------------

function xunitEqual(o: { expected: number; actual: number; root: string; line: number; method?: string }): string {
  return `Assert.Equal() Failure: Values differ
Expected: ${o.expected}
Actual:   ${o.actual}
   at Xunit.Assert.Equal[T](T expected, T actual, IEqualityComparer\`1 comparer)
   at Acme.Tests.CartTests.${o.method ?? "Total_IsSum"}() in ${o.root}/tests/CartTests.cs:line ${o.line}
   at System.RuntimeMethodHandle.InvokeMethod(Object target, Void** arguments, Signature sig, Boolean isConstructor)
   at System.Reflection.MethodBaseInvoker.InvokeWithNoArgs(Object obj, BindingFlags invokeAttr)`;
}

function nunitException(o: { order: string; drive: string; line: number }): string {
  return `System.InvalidOperationException : Order ${o.order} has no lines
   at System.Linq.ThrowHelper.ThrowNoElementsException()
   at Acme.Orders.OrderService.<PlaceAsync>d__4.MoveNext() in ${o.drive}:\\a\\acme\\src\\OrderService.cs:line ${o.line}
--- End of stack trace from previous location ---
   at Acme.Tests.OrderTests.Places_order() in ${o.drive}:\\a\\acme\\tests\\OrderTests.cs:line 21
   at NUnit.Framework.Internal.TaskAwaitAdapter.GenericAdapter\`1.GetResult()
   at NUnit.Framework.Internal.Commands.TestMethodCommand.Execute(TestExecutionContext context)`;
}

describe(".NET", () => {
  it("normalises xUnit's Assert.Equal() Failure and drops Xunit and System frames", () => {
    const s = sig(xunitEqual({ expected: 3, actual: 4, root: "/home/runner/work/acme", line: 42 }));
    expect(s.type).toBeNull();
    expect(s.message).toBe("Assert.Equal() Failure: Values differ Expected: <num> Actual: <num>");
    expect(s.frames).toEqual(["Acme.Tests.CartTests.Total_IsSum (CartTests.cs)"]);
  });

  it("gives xUnit failures differing in values, checkout and line the same hash, others another", () => {
    const a = sig(xunitEqual({ expected: 3, actual: 4, root: "/home/runner/work/acme", line: 42 }));
    expect(sig(xunitEqual({ expected: 30, actual: 0, root: "D:\\a\\acme", line: 44 })).hash).toBe(a.hash);
    expect(
      sig(xunitEqual({ expected: 3, actual: 4, root: "/src", line: 42, method: "Discount_Applies" })).hash,
    ).not.toBe(a.hash);
    expect(
      sig(xunitEqual({ expected: 3, actual: 4, root: "/src", line: 42 }).replace("Values differ", "Strings differ"))
        .hash,
    ).not.toBe(a.hash);
  });

  it("reads NUnit's `Type : message`, async state machines and End of stack trace markers", () => {
    const s = sig(nunitException({ order: "a1b2c3d4-0000-4000-8000-000000000001", drive: "D", line: 57 }));
    expect(s).toMatchObject({
      type: "System.InvalidOperationException",
      message: "Order <uuid> has no lines",
      frames: [
        "Acme.Orders.OrderService.<PlaceAsync>d__4.MoveNext (OrderService.cs)",
        "Acme.Tests.OrderTests.Places_order (OrderTests.cs)",
      ],
    });
    expect(sig(nunitException({ order: "0f0e0d0c-1111-4111-8111-aaaaaaaaaaaa", drive: "C", line: 60 })).hash).toBe(
      s.hash,
    );
  });

  it('ignores JunitXml.TestLogger\'s type="failure" and reads its message attribute', () => {
    const text = `   at Acme.Tests.CartTests.Total_IsSum() in /src/tests/CartTests.cs:line 42`;
    const s = failureSignature({ type: "failure", message: "Assert.Equal() Failure\nExpected: 3\nActual:   4", text });
    expect(s).toMatchObject({
      type: null,
      message: "Assert.Equal() Failure Expected: <num> Actual: <num>",
      frames: ["Acme.Tests.CartTests.Total_IsSum (CartTests.cs)"],
      sample: "Assert.Equal() Failure",
    });
  });
});

// --- Ruby ---------------------------------------------------------------------

function rspecEq(o: { expected: number; got: number; line: number; spec?: string; tick: "`" | "'" }): string {
  return `Failure/Error: expect(cart.total).to eq(${o.expected})

  expected: ${o.expected}
       got: ${o.got}

  (compared using ==)
# ./spec/models/${o.spec ?? "cart_spec.rb"}:${o.line}:in ${o.tick}block (3 levels) in <top (required)>'
# /usr/local/bundle/gems/rspec-core-3.13.0/lib/rspec/core/example.rb:263:in ${o.tick}instance_exec'
# /usr/local/lib/ruby/3.3.0/forwardable.rb:240:in ${o.tick}each'`;
}

describe("Ruby (RSpec)", () => {
  it("normalises expected/got and keeps the spec's frame, not rspec-core's or the stdlib's", () => {
    const s = sig(rspecEq({ expected: 3, got: 4, line: 14, tick: "`" }));
    expect(s.type).toBeNull();
    expect(s.message).toBe(
      "Failure/Error: expect(cart.total).to eq(<num>) expected: <num> got: <num> (compared using ==)",
    );
    expect(s.frames).toEqual(["block (3 levels) in <top (required)> (cart_spec.rb)"]);
    expect(s.sample).toBe("Failure/Error: expect(cart.total).to eq(3)");
  });

  it("gives failures differing in values, line and Ruby version's quote style the same hash, others another", () => {
    const a = sig(rspecEq({ expected: 3, got: 4, line: 14, tick: "`" }));
    expect(sig(rspecEq({ expected: 250, got: 0, line: 16, tick: "'" })).hash).toBe(a.hash);
    expect(sig(rspecEq({ expected: 3, got: 4, line: 14, tick: "`", spec: "order_spec.rb" })).hash).not.toBe(a.hash);
    expect(sig(rspecEq({ expected: 3, got: 4, line: 14, tick: "`" }).replace(".to eq", ".not_to eq")).hash).not.toBe(
      a.hash,
    );
  });

  it("takes the type from the reporter's attribute", () => {
    const s = sig(rspecEq({ expected: 3, got: 4, line: 14, tick: "`" }), {
      type: "RSpec::Expectations::ExpectationNotMetError",
    });
    expect(s.type).toBe("RSpec::Expectations::ExpectationNotMetError");
  });
});

// --- general ------------------------------------------------------------------

describe("failureSignature", () => {
  it("gives empty or absent input a stable, empty signature", () => {
    const empty = failureSignature({});
    expect(empty).toEqual({
      hash: failureSignature({ type: null, message: null, text: null }).hash,
      type: null,
      message: "",
      frames: [],
      sample: "",
    });
    expect(failureSignature({ text: "" }).hash).toBe(empty.hash);
    expect(empty.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it("reads a bare exception name as a type with an empty message", () => {
    expect(sig("AssertionError")).toMatchObject({ type: "AssertionError", message: "", sample: "AssertionError" });
  });

  it("does not take a bare Failed or Error for a type", () => {
    expect(sig("Failed").type).toBeNull();
  });

  it("lets the type change the hash", () => {
    expect(sig("boom", { type: "IOError" }).hash).not.toBe(sig("boom", { type: "ValueError" }).hash);
  });

  it("caps the message and sample at 500 chars and the frames at 3", () => {
    const frames = Array.from({ length: 10 }, (_, i) => `    at step${i} (/app/src/steps.js:${i + 1}:1)`);
    const s = sig(`Error: ${"x ".repeat(1000)}\n${frames.join("\n")}`);
    expect(s.message.length).toBeLessThanOrEqual(500);
    expect(s.sample).toHaveLength(500);
    expect(s.frames).toEqual(["step0 (steps.js)", "step1 (steps.js)", "step2 (steps.js)"]);
  });
});

// --- hostile input ------------------------------------------------------------

/** A small seeded generator, so that a failure here can be reproduced. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ` \n\t:./\\'"\`@-_()[]<>0123456789abcdefxXEatFileinlgoroutine❯#${String.fromCharCode(0, 27, 0xd800, 0xffff)}`;

function expectWellFormed(s: FailureSignature): void {
  expect(s.hash).toMatch(/^[0-9a-f]{16}$/);
  expect(s.message.length).toBeLessThanOrEqual(500);
  expect(s.sample.length).toBeLessThanOrEqual(500);
  expect(s.frames.length).toBeLessThanOrEqual(3);
}

describe("hostile input", () => {
  it("never throws on random strings, and is deterministic", () => {
    const next = random(42);
    for (let i = 0; i < 300; i++) {
      const length = Math.floor(next() * (i % 10 === 0 ? 16_384 : 400));
      let text = "";
      for (let j = 0; j < length; j++) {
        text +=
          next() < 0.8 ? (ALPHABET[Math.floor(next() * ALPHABET.length)] ?? "") : String.fromCharCode(next() * 65536);
      }
      const input = { type: text.slice(0, 40), message: text.slice(0, 100), text };
      const s = failureSignature(input);
      expectWellFormed(s);
      expect(failureSignature(input)).toEqual(s);
    }
  });

  it("handles 16 KiB pathological strings without backtracking for ever", () => {
    const cases: [string, string][] = [
      ["a".repeat(16_000) + "!", "a".repeat(500)],
      ["/".repeat(16_000), "/".repeat(500)],
      ["0x".repeat(8_000), "0x".repeat(250)],
      ["x" + " ".repeat(16_000) + "y", "x"],
      ["\n".repeat(16_000), ""],
      ["a.".repeat(8_000), "a.".repeat(250)],
      ["1,".repeat(8_000), "<num>,".repeat(100).slice(0, 500)],
      [":".repeat(16_000), ":".repeat(500)],
      ["at ".repeat(5_000), "at ".repeat(167).trim()],
    ];
    for (const [text, message] of cases) {
      const s = failureSignature({ type: text, message: text, text });
      expectWellFormed(s);
      expect(s.message).toBe(message);
      expect(normaliseMessage(text)).toBe(message);
    }
  });

  it("handles a 16 KiB stack of frames and a 16 KiB line of quotes, ips and paths", () => {
    const frames = Array.from({ length: 400 }, (_, i) => `\tat com.acme.Deep.level${i}(Deep.java:${i})`).join("\n");
    const deep = sig(`java.lang.StackOverflowError\n${frames}`);
    expect(deep.frames).toEqual([
      "com.acme.Deep.level0 (Deep.java)",
      "com.acme.Deep.level1 (Deep.java)",
      "com.acme.Deep.level2 (Deep.java)",
    ]);
    const noise = "'x' 10.0.0.1:80 /a/b ::1 2024-01-01 ".repeat(500);
    expect(noise.length).toBeGreaterThan(16_000);
    expect(sig(noise).message.startsWith("<str> <ip> <path> <ip> <time> <str>")).toBe(true);
  });
});
