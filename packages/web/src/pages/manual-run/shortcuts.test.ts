import { afterEach, describe, expect, it } from "vitest";
import { isTyping } from "./shortcuts";

afterEach(() => {
  document.body.replaceChildren();
});

function element(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.body.querySelector("[data-target]") as HTMLElement;
}

describe("which focused controls keep the run's keys", () => {
  it.each([
    ['<input data-target type="text">', "a text field"],
    ["<input data-target>", "an input without a type"],
    ['<input data-target type="search">', "a search field"],
    ['<input data-target type="url">', "a URL field"],
    ['<input data-target type="email">', "an e-mail field"],
    ['<input data-target type="number">', "a number field"],
    ['<input data-target type="password">', "a password field"],
    ['<input data-target type="date">', "a date field"],
    ["<textarea data-target></textarea>", "a textarea"],
    ["<select data-target><option>a</option></select>", "a select"],
    ['<div contenteditable="true"><p data-target>x</p></div>', "editable content"],
  ])("%s (%s) keeps them: keys typed there are text", (html) => {
    expect(isTyping(element(html))).toBe(true);
  });

  it.each([
    ['<input data-target type="checkbox">', "a checkbox such as “Only my tests”"],
    ['<input data-target type="radio">', "a radio button"],
    ['<input data-target type="file">', "a file input"],
    ['<input data-target type="submit">', "a submit input"],
    ["<button data-target>Passed</button>", "a button"],
    ['<a data-target href="/x">link</a>', "a link"],
    ['<div contenteditable="false"><p data-target>x</p></div>', "content marked not editable"],
  ])("%s (%s) lets them through", (html) => {
    expect(isTyping(element(html))).toBe(false);
  });

  it("lets them through when nothing is focused", () => {
    expect(isTyping(null)).toBe(false);
    expect(isTyping(window)).toBe(false);
  });
});
