// "Use this wording": put the chosen alternative in place of the flagged phrase in its text area.
// A module from our own origin (the content security policy allows no inline script), loaded once however
// many forms use it. Event delegation, so findings that htmx swaps in need no set-up.
//
// The findings carry where the phrase was when it was checked. If the text has moved since (the user kept
// typing), the phrase is looked for nearest that place; if it is gone, nothing changes and a status message
// says so. After a replacement the text area's "input" event makes htmx check the new text.

function nearest(text, phrase, around) {
  let best = -1;
  for (let at = text.indexOf(phrase); at !== -1; at = text.indexOf(phrase, at + 1)) {
    if (best === -1 || Math.abs(at - around) < Math.abs(best - around)) best = at;
  }
  return best;
}

function announce(region, message) {
  const status = region.querySelector("[data-language-status]");
  if (status) status.textContent = message;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-language-replace]");
  if (!button) return;
  const region = button.closest("[data-language-check]");
  if (!region) return;
  const field = region.querySelector(`textarea[name="${CSS.escape(button.dataset.field)}"]`);
  if (!field) return;
  const { original, replacement } = button.dataset;
  const start = Number(button.dataset.start);
  const end = Number(button.dataset.end);
  const value = field.value;
  const at = value.slice(start, end) === original ? start : nearest(value, original, start);
  if (at === -1) {
    announce(region, `“${original}” is no longer in the text; nothing was changed.`);
    return;
  }
  field.value = value.slice(0, at) + replacement + value.slice(at + original.length);
  field.focus();
  const caret = at + replacement.length;
  field.setSelectionRange(caret, caret);
  announce(region, `Replaced “${original}” with “${replacement}”.`);
  field.dispatchEvent(new Event("input", { bubbles: true }));
});
