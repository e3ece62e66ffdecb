// The paper form's "Print" button: shown only when JavaScript runs (the browser's own Print
// command works without it).
"use strict";
document.querySelectorAll(".print-button").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
