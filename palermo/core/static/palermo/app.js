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

// The error summary (core/error_summary.html) takes focus when it is shown: on a page (also where the browser
// ignored autofocus) and in content HTMX has just put in place, such as a case-page section whose form was
// sent with problems. The page's title starts with "Error:" while a summary is on the page.
function showErrorSummary(root) {
  const summary = root.matches && root.matches(".app-error-summary") ? root : root.querySelector(".app-error-summary");
  if (summary) {
    summary.focus();
  }
  const prefix = document.body.dataset.errorTitlePrefix;
  if (prefix) {
    const shown = document.querySelector(".app-error-summary") !== null;
    if (shown && !document.title.startsWith(prefix)) {
      document.title = prefix + document.title;
    } else if (!shown && document.title.startsWith(prefix)) {
      document.title = document.title.slice(prefix.length);
    }
  }
}
showErrorSummary(document);
document.addEventListener("htmx:load", (event) => {
  if (event.detail.elt !== document.body) {
    showErrorSummary(event.detail.elt);
  }
});

// What a save did (core/notification_banner.html) takes focus once shown, on a page after its redirect and in a
// case-page section HTMX has just swapped in, so that keyboard and screen-reader users hear it and go on from
// the section they were in, not from the top of the page. An error summary, when there is one, comes first.
function showNotification(root) {
  const banner = root.matches && root.matches(".app-notification-banner") ? root : root.querySelector(".app-notification-banner");
  if (banner && !root.querySelector(".app-error-summary")) {
    banner.focus();
  }
}
showNotification(document);
document.addEventListener("htmx:load", (event) => {
  if (event.detail.elt !== document.body) {
    showNotification(event.detail.elt);
  }
});

// A form being sent cannot be sent twice (a double click, an impatient second press): its submit buttons are
// disabled, and say so, until the answer comes. A page's form stays so until the next page; coming back to it
// (the browser's back button) gives working buttons again.
function setSending(form, sending) {
  if (sending) {
    form.setAttribute("aria-busy", "true");
  } else {
    form.removeAttribute("aria-busy");
  }
  form.querySelectorAll("button[type=submit], input[type=submit]").forEach((button) => {
    button.disabled = sending;
    if (sending) {
      button.setAttribute("aria-disabled", "true");
    } else {
      button.removeAttribute("aria-disabled");
    }
  });
}
function sendingForm(event) {
  const elt = event.detail && event.detail.elt;
  return elt && elt.tagName === "FORM" && (elt.method || "").toLowerCase() === "post" ? elt : null;
}
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = sendingForm(event);
  if (form) {
    setSending(form, true);
  }
});
document.addEventListener("htmx:afterRequest", (event) => {
  const form = sendingForm(event);
  if (form && form.isConnected) {
    setSending(form, false);
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.sending === "true") {
    event.preventDefault();
    return;
  }
  if ((form.method || "").toLowerCase() !== "post" || form.hasAttribute("hx-post") || event.defaultPrevented) {
    return;
  }
  form.dataset.sending = "true";
  // After the browser has read the form (the pressed button's name and value included).
  window.setTimeout(() => setSending(form, true), 0);
});
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-sending]").forEach((form) => {
    delete form.dataset.sending;
    setSending(form, false);
  });
});
