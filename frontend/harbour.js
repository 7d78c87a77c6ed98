// Harbour's one page script, served as the static file harbour.js and loaded as an ES module
// (<script type="module">), so only browsers that GOV.UK Frontend supports run it.
// No inline script anywhere: the content security policy allows scripts from our own origin only,
// so the "js-enabled" classes that GOV.UK's page template sets inline are set here instead.
import { initAll as govukInitAll } from "./govuk-frontend.min.js";
import { initAll as mojInitAll } from "./moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
govukInitAll();
mojInitAll();
