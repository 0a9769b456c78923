import { describe, expect, it } from "vitest";
import {
  burnPasswordCheck,
  hashPassword,
  needsRehash,
  PASSWORD_RULE,
  parsePasswordHash,
  passwordProblem,
  SCRYPT_PARAMS,
  verifyPassword,
} from "./passwords.js";

describe("password hashing (scrypt)", () => {
  it("stores scrypt$N$r$p$salt$hash with today's parameters, a 16-byte salt and a 64-byte key", async () => {
    const stored = await hashPassword("correct horse battery staple");
    const parts = stored.split("$");
    expect(parts.slice(0, 4)).toEqual(["scrypt", "32768", "8", "1"]);
    expect(Buffer.from(parts[4]!, "base64")).toHaveLength(16);
    expect(Buffer.from(parts[5]!, "base64")).toHaveLength(64);
    expect(parsePasswordHash(stored)?.params).toEqual(SCRYPT_PARAMS);
    expect(needsRehash(stored)).toBe(false);
  });

  it("verifies the right password only; the same password hashes differently each time (salt)", async () => {
    const a = await hashPassword("correct horse battery staple");
    const b = await hashPassword("correct horse battery staple");
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery staple", a)).toBe(true);
    expect(await verifyPassword("correct horse battery staple", b)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", a)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", a)).toBe(false);
  });

  it("reads the parameters from the stored hash, so older (weaker) hashes keep working and are marked for rehash", async () => {
    const weak = await hashPassword("an older password", { N: 1024, r: 8, p: 1 });
    expect(weak.startsWith("scrypt$1024$8$1$")).toBe(true);
    expect(await verifyPassword("an older password", weak)).toBe(true);
    expect(await verifyPassword("another password", weak)).toBe(false);
    expect(needsRehash(weak)).toBe(true);
  });

  it("treats a damaged or foreign hash as matching nothing", async () => {
    for (const stored of [
      "",
      "plain",
      "bcrypt$2b$10$abc",
      "scrypt$1000$8$1$c2FsdA==$a2V5", // N not a power of two
      "scrypt$1073741824$8$1$c2FsdA==$a2V5", // N far too large
      "scrypt$1024$8$1$$a2V5", // no salt
      "scrypt$1024$8$1$c2FsdA==", // no key
    ]) {
      expect(parsePasswordHash(stored), stored).toBeNull();
      expect(await verifyPassword("whatever password", stored)).toBe(false);
    }
  });

  it("normalises Unicode (NFC), so the same text typed either way matches", async () => {
    const stored = await hashPassword("caf\u00e9 au lait s'il vous pla\u00eet");
    expect(await verifyPassword("cafe\u0301 au lait s'il vous pla\u00eet", stored)).toBe(true);
  });

  it("the stand-in check for unknown e-mails never matches", async () => {
    expect(await burnPasswordCheck("correct horse battery staple")).toBe(false);
    expect(await burnPasswordCheck("")).toBe(false);
  });
});

describe("password rule", () => {
  it("accepts 12 to 1024 characters (code points) and says the rule otherwise", () => {
    expect(passwordProblem("x".repeat(12))).toBeNull();
    expect(passwordProblem("x".repeat(1024))).toBeNull();
    expect(passwordProblem("🔒".repeat(12))).toBeNull();
    expect(passwordProblem("x".repeat(11))).toBe(`${PASSWORD_RULE} This one has 11.`);
    expect(passwordProblem("x".repeat(1025))).toBe(`${PASSWORD_RULE} This one has 1025.`);
    expect(PASSWORD_RULE).toBe("The password must be 12 to 1024 characters long.");
  });
});
