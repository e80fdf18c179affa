// The search index separates Chinese words with zero-width spaces (U+200B) so that they can be found; keep them
// out of the results a reader sees and copies.
(function () {
  var list = document.querySelector(".md-search-result__list");
  if (!list || !window.MutationObserver) return;
  new MutationObserver(function () {
    var walker = document.createTreeWalker(list, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode())
      if (node.nodeValue.indexOf("\u200b") >= 0) node.nodeValue = node.nodeValue.replace(/\u200b/g, "");
  }).observe(list, {childList: true, subtree: true});
})();
