// Eleventy 3 for bench/run.py: the smallest honest config for the synthetic corpus that
// bench/synth.py writes (`--eleventy DIR`, which copies site/ beside the content):
// every item's page, and the news index paginated 10 to a page, newest first.
export default function (eleventyConfig) {
  // Every content file is an item page in the item layout (index.njk sets its own).
  eleventyConfig.addGlobalData("layout", "item.njk");
  eleventyConfig.addCollection("news", (collections) =>
    collections.getFilteredByGlob("**/news/*.md").sort((a, b) => b.date - a.date));
  eleventyConfig.addPassthroughCopy("img");
  return {
    // The Markdown is content, not templates (as for sitegen and Hugo).
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
  };
}
