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

// At phone width a table becomes stacked rows (app.css); each cell then shows its column's heading before
// its value, copied here from the table's head so that no template has to repeat it.
function labelTableCells(root) {
  const tables = root.matches && root.matches("table") ? [root] : root.querySelectorAll("table");
  for (const table of tables) {
    const head = table.tHead && table.tHead.rows[0];
    if (!head) {
      continue;
    }
    const headings = [];
    for (const cell of head.cells) {
      for (let span = 0; span < (cell.colSpan || 1); span += 1) {
        headings.push(cell.textContent.trim());
      }
    }
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (headings[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", headings[column]);
          }
          column += cell.colSpan || 1;
        }
      }
    }
  }
}
labelTableCells(document);
document.addEventListener("htmx:load", (event) => labelTableCells(event.detail.elt));
