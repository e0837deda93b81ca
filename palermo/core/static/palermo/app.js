// No inline scripts anywhere (Content-Security-Policy); page behaviour lives here.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.body.dataset.csrfToken;
  if (token) {
    event.detail.headers["X-CSRFToken"] = token;
  }
});
