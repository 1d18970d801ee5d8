// "Add a row" for the tables of forms (invoice lines, allowances and charges): each table carries its empty row
// in a <template>; a new row gets the next index and the formset's TOTAL_FORMS count goes up. Without
// JavaScript, saving the draft gives new empty rows.
document.querySelectorAll("[data-formset]").forEach((block) => {
  const prefix = block.dataset.formset;
  const total = block.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const template = block.querySelector("template");
  const body = block.querySelector("tbody");
  const button = block.querySelector("[data-add-row]");
  button.hidden = false;
  button.addEventListener("click", () => {
    const index = Number(total.value);
    body.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(index)));
    total.value = String(index + 1);
    body.lastElementChild.querySelector("input, select")?.focus();
  });
});
