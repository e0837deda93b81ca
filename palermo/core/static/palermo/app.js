// No inline scripts anywhere (Content-Security-Policy); page behaviour lives here.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.body.dataset.csrfToken;
  if (token) {
    event.detail.headers["X-CSRFToken"] = token;
  }
});

// The case page's sections, once in place: a link to one of them (#section-notes) takes the reader there.
document.addEventListener("htmx:load", (event) => {
  if (event.detail.elt.id === "case-sections" && window.location.hash) {
    const target = document.getElementById(window.location.hash.slice(1));
    if (target) {
      target.scrollIntoView();
    }
  }
});

// Sections that could not be fetched say so, and keep their link to the whole-case page.
function sectionFailed(event) {
  const slot = event.detail.elt;
  if (slot && slot.hasAttribute && slot.hasAttribute("data-section-pending")) {
    slot.removeAttribute("aria-busy");
    const status = slot.querySelector(".case-section-status");
    if (status) {
      status.textContent = slot.dataset.failedText;
    }
  }
}
document.addEventListener("htmx:responseError", sectionFailed);
document.addEventListener("htmx:sendError", sectionFailed);
