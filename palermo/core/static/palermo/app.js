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

// A check made as the user types (data-request-failed: the intake's duplicate check) whose answer did not
// come says so in its place, rather than leave an earlier answer standing as if it were the current one.
function checkFailed(event) {
  const elt = event.detail.elt;
  const target = event.detail.target;
  if (elt && elt.dataset && elt.dataset.requestFailed && target) {
    const note = document.createElement("p");
    note.className = "alert alert-warning";
    note.setAttribute("role", "status");
    note.textContent = elt.dataset.requestFailed;
    target.replaceChildren(note);
  }
}
document.addEventListener("htmx:responseError", checkFailed);
document.addEventListener("htmx:sendError", checkFailed);

// The error summary (core/error_summary.html) takes focus when it is shown: on a page (also where the browser
// ignored autofocus) and in content HTMX has just put in place, such as a case-page section whose form was
// sent with problems. The page's title starts with "Error:" while a summary is on the page.
function showErrorSummary(root) {
  const summary = root.matches && root.matches(".app-error-summary") ? root : root.querySelector(".app-error-summary");
  if (summary) {
    // Focus alone scrolls only as far as needed, leaving a summary far down a page at the screen's bottom
    // edge: bring its top into view first.
    summary.scrollIntoView({block: "start"});
    summary.focus({preventScroll: true});
    if (document.readyState !== "complete") {
      // What loads after this script (fonts, the rest of the styles) moves the page: bring it back in view.
      window.addEventListener("load", () => {
        if (document.activeElement === summary) {
          summary.scrollIntoView({block: "start"});
        }
      }, {once: true});
    }
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

// Enhancements of every form, here once and never in a page (core/field.html gives the hooks). Each runs on
// the page and again in what HTMX puts in place; a control is enhanced once.
function enhance(root, selector, mark, apply) {
  const found = root.matches && root.matches(selector) ? [root] : [...root.querySelectorAll(selector)];
  for (const element of found) {
    if (!element.dataset[mark]) {
      element.dataset[mark] = "true";
      apply(element);
    }
  }
}

function describedBy(control, id) {
  const ids = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  if (!ids.includes(id)) {
    ids.push(id);
    control.setAttribute("aria-describedby", ids.join(" "));
  }
}

// The GOV.UK character count: a text with a limit says how many characters are left, or how many too many.
// The limit itself stays a sentence read with the field; the count is shown at once and told to screen
// readers when the typing pauses. People may type past the limit (the form then says the text is too long),
// so nothing they paste is silently cut. Characters are counted as the server counts them: a line break is
// sent as two.
function characterCount(wrapper) {
  const control = wrapper.querySelector("textarea, input");
  const hint = wrapper.querySelector(".app-character-count");
  if (!control || !hint) {
    return;
  }
  const limit = Number(wrapper.dataset.characterCount);
  control.removeAttribute("maxlength");
  hint.removeAttribute("aria-live");
  hint.classList.add("visually-hidden");
  describedBy(control, hint.id);
  const shown = document.createElement("div");
  shown.className = "form-text app-character-count-message";
  shown.setAttribute("aria-hidden", "true");
  const told = document.createElement("div");
  told.className = "visually-hidden";
  told.setAttribute("aria-live", "polite");
  told.id = `${hint.id}_status`;
  hint.after(shown, told);
  let pause;
  const words = (left) => {
    const over = left < 0;
    const number = Math.abs(left);
    const text = over
      ? number === 1 ? hint.dataset.overOne : hint.dataset.overMany
      : number === 1 ? hint.dataset.remainingOne : hint.dataset.remainingMany;
    return text.replace("{n}", number.toLocaleString(document.documentElement.lang));
  };
  const update = (tell) => {
    const value = control.value;
    const used = [...value].length + (value.match(/\n/g) || []).length;
    const left = limit - used;
    shown.textContent = words(left);
    shown.classList.toggle("text-danger", left < 0);
    shown.classList.toggle("fw-bold", left < 0);
    control.classList.toggle("is-invalid", left < 0);
    if (tell) {
      clearTimeout(pause);
      pause = setTimeout(() => {
        told.textContent = words(left);
      }, 800);
    }
  };
  control.addEventListener("input", () => update(true));
  update(false);
}

// A warning before leaving a page whose form holds input not yet sent. Forms that only look things up
// (method get) and the shell's own forms (language, sign-out) are not watched; sending a form clears it.
const unsaved = new Set();

function watched(form) {
  return (
    form &&
    (form.getAttribute("method") || "").toLowerCase() === "post" &&
    !form.closest("header") &&
    !form.hasAttribute("data-no-unsaved-warning")
  );
}

function changed(event) {
  const form = event.target.form || (event.target.closest && event.target.closest("form"));
  if (watched(form)) {
    unsaved.add(form);
    form.dataset.changes = String(Number(form.dataset.changes || 0) + 1);
  }
}
document.addEventListener("input", changed);
document.addEventListener("change", changed);
document.addEventListener("submit", (event) => unsaved.delete(event.target), true);
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
  if (form && event.detail.requestConfig && event.detail.requestConfig.verb === "post" && event.detail.elt === form) {
    unsaved.delete(form);
  }
});
window.addEventListener("beforeunload", (event) => {
  for (const form of unsaved) {
    if (form.isConnected) {
      event.preventDefault();
      event.returnValue = "";
      return;
    }
  }
});

// A form that keeps its draft (the referral) saves it a moment after each change, and every half minute
// while changes are waiting; the status line says when it was last saved. A form no one has touched is
// not saved (and the server refuses an empty one). The answer tells where the draft now lives (the first
// save makes one) and its version, so that the next save and the buttons go on from there. Once a button sends
// the form, no further save starts; a save still on its way is waited for, so the form goes with the version
// that save returned instead of meeting it as a conflicting edit.
function autosave(form) {
  const status = document.getElementById(form.dataset.autosaveStatus);
  let waiting = false;
  let busy = false;
  let sent = false;
  let submitAfterSave = null;
  let pause;
  const save = async () => {
    if (!waiting || busy || sent) {
      return;
    }
    busy = true;
    waiting = false;
    const changesSent = form.dataset.changes;
    const body = new FormData(form);
    body.set("action", "autosave");
    try {
      // getAttribute: the form's buttons are named "action", which hides the form's own `action` property.
      const response = await fetch(form.getAttribute("action") || window.location.pathname, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": document.body.dataset.csrfToken || "" },
      });
      const answer = await response.json();
      if (response.ok) {
        form.setAttribute("action", answer.action);
        const version = form.querySelector("input[name=version]");
        if (version) {
          version.value = answer.version;
        }
        if (window.location.pathname !== answer.action) {
          window.history.replaceState(null, "", answer.action);
        }
        if (form.dataset.changes === changesSent) {
          unsaved.delete(form);
        }
      }
      status.textContent = answer.message;
    } catch (error) {
      waiting = true;
      status.textContent = form.dataset.autosaveFailed;
    }
    busy = false;
    if (submitAfterSave) {
      const button = submitAfterSave;
      submitAfterSave = null;
      form.requestSubmit(button);
    }
  };
  const soon = () => {
    waiting = true;
    clearTimeout(pause);
    pause = setTimeout(save, Number(form.dataset.autosaveAfter || 2000));
  };
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  form.addEventListener("submit", (event) => {
    sent = true;
    clearTimeout(pause);
    if (busy) {
      event.preventDefault();
      submitAfterSave = event.submitter || null;
    }
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      sent = false; // back on the page from the browser's history: the form is being written again
    }
  });
  setInterval(save, 30000);
}

// Countries, languages and other long lists: typed into the GOV.UK accessible type-ahead. A single choice
// replaces its list with the type-ahead; a multiple choice gets a type-ahead that adds to a list of the
// chosen answers, each with its Remove button. The <select> stays in the form and is what is sent, so the
// page works the same without JavaScript.
function typeAheadWords() {
  const data = document.body.dataset;
  const number = (value) => Number(value).toLocaleString(document.documentElement.lang);
  return {
    tNoResults: () => data.typeAheadNoResults,
    tStatusNoResults: () => data.typeAheadNoResults,
    tStatusQueryTooShort: (least) => data.typeAheadTooShort.replace("{n}", number(least)),
    tStatusSelectedOption: (option, length, index) =>
      data.typeAheadHighlighted
        .replace("{option}", option)
        .replace("{index}", number(index + 1))
        .replace("{length}", number(length)),
    tStatusResults: (length, selected) => `${data.typeAheadResults.replace("{n}", number(length))} ${selected}`,
    tAssistiveHint: () => data.typeAheadHint,
  };
}

function copyDescription(select, input) {
  for (const name of ["aria-describedby", "aria-invalid"]) {
    if (select.hasAttribute(name)) {
      input.setAttribute(name, select.getAttribute(name));
    }
  }
}

function typeAheadSingle(select) {
  const id = select.id;
  const texts = new Map([...select.options].filter((o) => o.value).map((o) => [o.textContent, o.value]));
  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    showNoOptionsFound: true,
    ...typeAheadWords(),
    onConfirm: (label) => {
      const input = document.getElementById(id);
      const text = label !== undefined ? label : input ? input.value : "";
      const value = texts.get(text) || "";
      if (select.value !== value) {
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    },
  });
  const input = document.getElementById(id);
  if (input && input !== select) {
    copyDescription(select, input);
  }
}

function typeAheadMultiple(select) {
  const data = document.body.dataset;
  const id = select.id;
  select.id = `${id}-select`;
  select.hidden = true;
  const box = document.createElement("div");
  box.className = "app-type-ahead-multiple";
  const list = document.createElement("ul");
  list.className = "list-unstyled app-chosen mb-2";
  list.setAttribute("aria-label", `${data.typeAheadChosen}: ${select.labels.length ? select.labels[0].textContent.trim() : ""}`);
  const field = document.createElement("div");
  const told = document.createElement("div");
  told.className = "visually-hidden";
  told.setAttribute("aria-live", "polite");
  box.append(list, field, told);
  select.after(box);
  const options = [...select.options].filter((o) => o.value);
  const render = () => {
    list.replaceChildren();
    const chosen = options.filter((o) => o.selected);
    if (!chosen.length) {
      const none = document.createElement("li");
      none.className = "text-body-secondary small";
      none.textContent = data.typeAheadNone;
      list.append(none);
    }
    for (const option of chosen) {
      const item = document.createElement("li");
      item.className = "d-flex align-items-center gap-2";
      const name = document.createElement("span");
      name.textContent = option.textContent;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-link btn-sm p-0";
      remove.textContent = data.typeAheadRemove;
      const whose = document.createElement("span");
      whose.className = "visually-hidden";
      whose.textContent = ` ${option.textContent}`;
      remove.append(whose);
      remove.addEventListener("click", () => {
        option.selected = false;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        render();
        told.textContent = `${data.typeAheadRemoved} ${option.textContent}`;
        document.getElementById(id).focus();
      });
      item.append(name, remove);
      list.append(item);
    }
  };
  window.accessibleAutocomplete({
    element: field,
    id,
    name: "",
    showNoOptionsFound: true,
    ...typeAheadWords(),
    source: (query, populate) => {
      const wanted = query.toLocaleLowerCase();
      populate(
        options.filter((o) => !o.selected && o.textContent.toLocaleLowerCase().includes(wanted)).map((o) => o.textContent),
      );
    },
    templates: { inputValue: () => "" },
    onConfirm: (label) => {
      const option = options.find((o) => o.textContent === label);
      if (option && !option.selected) {
        option.selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        render();
        told.textContent = `${data.typeAheadAdded} ${option.textContent}`;
      }
    },
  });
  const input = document.getElementById(id);
  if (input) {
    input.removeAttribute("name");
    copyDescription(select, input);
  }
  render();
}

// A region's list follows its country (core/forms.py RegionField): when the reader chooses another country,
// the regions of that one replace the list, and a long list becomes a type-ahead again (a short one a list).
function undoTypeAhead(select) {
  if (select.dataset.typeAheadReady && select.previousElementSibling) {
    select.previousElementSibling.remove(); // the type-ahead accessible-autocomplete put before the list
    select.id = select.id.replace(/-select$/, "");
    select.style.display = "";
  }
  delete select.dataset.typeAheadReady;
}

function regionsFollowCountry(select) {
  const country = select.form && select.form.elements.namedItem(select.dataset.regionsOf);
  if (!country) {
    return;
  }
  country.addEventListener("change", async () => {
    const url = new URL(select.dataset.regionsUrl, window.location.href);
    url.searchParams.set("country", country.value);
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) {
      return;
    }
    const answer = await response.json();
    undoTypeAhead(select);
    select.replaceChildren(select.options[0], ...answer.regions.map(([code, name]) => new Option(name, code)));
    select.value = "";
    if (answer.type_ahead) {
      select.dataset.typeAhead = "single";
    } else {
      delete select.dataset.typeAhead;
    }
    enhanceForms(select);
  });
}

function enhanceForms(root) {
  enhance(root, "select[data-regions-of]", "regionsReady", regionsFollowCountry);
  enhance(root, "[data-character-count]", "countReady", characterCount);
  enhance(root, "form[data-autosave-status]", "autosaveReady", autosave);
  if (window.accessibleAutocomplete) {
    enhance(root, "select[data-type-ahead=single]", "typeAheadReady", typeAheadSingle);
    enhance(root, "select[data-type-ahead=multiple]", "typeAheadReady", typeAheadMultiple);
  }
}
enhanceForms(document);
document.addEventListener("htmx:load", (event) => {
  if (event.detail.elt !== document.body) {
    enhanceForms(event.detail.elt);
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
