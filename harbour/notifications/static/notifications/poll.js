// Polled fragments (data-harbour-poll) and the idle timeout. A poll does not keep the session alive
// (see notifications/views.py); once the session has ended, a poll is answered by the sign-in page.
// Rather than draw that page inside the header, take the whole window to sign-in, so a screen left
// open stops showing a child's record to whoever walks past.
document.addEventListener("htmx:beforeSwap", (event) => {
  const { elt, xhr } = event.detail;
  if (!elt || !elt.hasAttribute("data-harbour-poll") || !xhr || !xhr.responseURL) return;
  if (new URL(xhr.responseURL).pathname.startsWith("/accounts/sign-in/")) {
    event.detail.shouldSwap = false;
    window.location.assign(`/accounts/sign-in/?next=${encodeURIComponent(window.location.pathname)}`);
  }
});
