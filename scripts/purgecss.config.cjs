// PurgeCSS settings for scripts/trim-assets.sh: keep every Bootstrap rule a page can use.
module.exports = {
  // Class names appear in templates, in Python (form widgets, badge colours) and in our JS.
  content: ["templates/**/*.html", "bazaar/**/*.py", "static/js/**/*.js"],
  // A word boundary extractor: "bg-{{ colour }}" yields "bg-" only, so the families built at
  // render time are kept by pattern below.
  defaultExtractor: (content) => content.match(/[\w-/:.]+(?<!:)/g) || [],
  safelist: {
    standard: [/^alert-/, /^bg-/, /^text-bg-/, /^btn-/, /^badge/, /^table-/, /^is-/],
    // Toggled by static/js/toggles.js; components another page may start using.
    deep: [/^show$/, /^collapsing$/, /^collapse/, /^dropdown/, /^navbar/, /^nav-/],
    greedy: [/dropdown/, /navbar/],
  },
};
