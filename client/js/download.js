// @ts-check
// Saves text as a file without a server round trip: a Blob, an object URL, a click.

const TYPES = {
  MARKDOWN: { extension: "md", mime: "text/markdown;charset=utf-8" },
  CSV: { extension: "csv", mime: "text/csv;charset=utf-8" },
  JSON: { extension: "json", mime: "application/json;charset=utf-8" },
};

/**
 * @param {string} text     the file's content
 * @param {string} basename file name without extension
 * @param {"MARKDOWN"|"CSV"|"JSON"} format
 * @returns {string} the file name used
 */
export function download(text, basename, format) {
  const { extension, mime } = TYPES[format];
  const filename = `${basename}.${extension}`;
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return filename;
}
