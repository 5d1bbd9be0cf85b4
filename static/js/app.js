// Small progressive enhancements; every page works without this file.
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});

document.addEventListener("DOMContentLoaded", () => {
  // A form came back with errors: start at the summary that links to each invalid field.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Styled file controls: show the chosen file's name beside the button.
  document.querySelectorAll("[data-file-name-for]").forEach((label) => {
    const input = document.getElementById(label.getAttribute("data-file-name-for"));
    if (!input) return;
    input.addEventListener("change", () => {
      if (input.files && input.files.length) label.textContent = input.files[0].name;
    });
  });

  // A district list follows the chosen county; without this script every district is listed
  // and the server checks the pair.
  document.querySelectorAll("select[data-follows]").forEach((districts) => {
    const county = document.getElementById(districts.getAttribute("data-follows"));
    if (!county) return;
    const options = Array.from(districts.options);
    const filter = () => {
      options.forEach((option) => {
        const owner = option.getAttribute("data-county");
        const hide = Boolean(owner) && Boolean(county.value) && owner !== county.value;
        option.hidden = hide;
        option.disabled = hide;
        if (hide && option.selected) districts.value = "";
      });
    };
    county.addEventListener("change", filter);
    filter();
  });
});
