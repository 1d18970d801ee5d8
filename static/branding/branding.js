// Settings → Branding: colour pickers kept in sync with the hex fields (which work alone without this
// script), a live preview of the menu and the login box, and the contrast warnings of the form.
(function () {
  "use strict";
  var form = document.getElementById("branding-form");
  var preview = document.getElementById("branding-preview");
  if (!form || !preview) { return; }
  var fields = { main_colour: "main", nav_colour: "nav", button_colour: "button" };

  function normalise(value) {
    value = (value || "").trim().toLowerCase();
    if (value.charAt(0) !== "#") { value = "#" + value; }
    if (/^#[0-9a-f]{3}$/.test(value)) { value = "#" + value[1] + value[1] + value[2] + value[2] + value[3] + value[3]; }
    return /^#[0-9a-f]{6}$/.test(value) ? value : null;
  }
  // The ratio written the page's way (1,1 in Dutch and French).
  const ratioText = (ratio) =>
    ratio.toLocaleString(document.documentElement.lang || undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  // WCAG 2.x relative luminance and contrast ratio (same formulas as branding/colours.py).
  function luminance(hex) {
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function update(name) {
    var colour = normalise(form.elements[name].value);
    if (!colour) { return; }
    var onBlack = contrast(colour, "#000000"), onWhite = contrast(colour, "#ffffff");
    var text = onBlack >= onWhite ? "#000000" : "#ffffff";
    preview.style.setProperty("--" + fields[name] + "-colour", colour);
    preview.style.setProperty("--" + fields[name] + "-text", text);
    var warning = form.querySelector('[data-contrast-warning="' + name + '"]');
    var message = "";
    if (Math.max(onBlack, onWhite) < 4.5) {
      message = warning.getAttribute("data-text-message").replace("%(ratio)s", ratioText(Math.max(onBlack, onWhite)));
    } else if (name === "main_colour" && onWhite < 4.5) {
      message = warning.getAttribute("data-links-message").replace("%(ratio)s", ratioText(onWhite));
    }
    warning.textContent = message;
    warning.hidden = !message;
  }

  Object.keys(fields).forEach(function (name) {
    var hex = form.elements[name];
    var picker = form.querySelector('[data-colour-picker="' + hex.id + '"]');
    picker.hidden = false;
    picker.addEventListener("input", function () { hex.value = picker.value; update(name); });
    hex.addEventListener("input", function () {
      var colour = normalise(hex.value);
      if (colour) { picker.value = colour; }
      update(name);
    });
  });

  // The colours in the form (typed ones after an error), set here: the page has no inline style (CSP).
  Object.keys(fields).forEach(update);

  var title = form.elements.login_title, shownTitle = preview.querySelector("[data-preview-title]");
  title.addEventListener("input", function () {
    shownTitle.textContent = title.value.trim() || shownTitle.getAttribute("data-default-title");
  });

  var logo = form.elements.logo, logoBox = preview.querySelector("[data-preview-logo]");
  logo.addEventListener("change", function () {
    if (logo.files && logo.files[0]) {
      logoBox.querySelector("img").src = URL.createObjectURL(logo.files[0]);
      logoBox.hidden = false;
    }
  });
})();
