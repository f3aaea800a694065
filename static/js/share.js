// "Copy link" buttons: hidden in the page, shown only where the browser can copy.
(function () {
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    var status = button.parentElement.querySelector("[data-copy-link-status]");
    function say(text) {
      if (status) status.textContent = text;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copyLink).then(
        function () { say(button.dataset.copied); },
        function () { say(button.dataset.copyFailed); }
      );
    });
  });
})();
