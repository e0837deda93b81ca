// No inline scripts anywhere (Content-Security-Policy); page behaviour lives here.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.body.dataset.csrfToken;
  if (token) {
    event.detail.headers["X-CSRFToken"] = token;
  }
});

// A case page section that could not be fetched says so, and keeps its link to the whole-case page.
function sectionFailed(event) {
  const slot = event.detail.elt;
  if (slot && slot.hasAttribute && slot.hasAttribute("data-section-pending")) {
    slot.removeAttribute("aria-busy");
    const status = slot.querySelector(".case-section-status");
    if (status) {
      status.textContent = slot.closest("[data-failed-text]").dataset.failedText;
    }
  }
}
document.addEventListener("htmx:responseError", sectionFailed);
document.addEventListener("htmx:sendError", sectionFailed);
