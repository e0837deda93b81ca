/* Quick exit: the button and the Esc key replace this page, so the Back button does not return to it. */
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var target = link.getAttribute("data-exit");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.hidden = true;
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
  var hint = document.getElementById("exit-hint");
  if (hint) { hint.hidden = false; }
}());
