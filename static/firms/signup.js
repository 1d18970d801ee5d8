// Suggest a web address from the firm's name until the user types one.
(function () {
  var name = document.getElementById("id_firm_name"), slug = document.getElementById("id_slug");
  if (!name || !slug) return;
  var touched = slug.value !== "";
  slug.addEventListener("input", function () { touched = true; });
  name.addEventListener("input", function () {
    if (touched) return;
    slug.value = name.value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  });
})();
