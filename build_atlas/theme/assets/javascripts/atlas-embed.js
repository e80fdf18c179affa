/* Embed snippets that work anywhere: the map's address is completed from this page's own address (when the site
   was built without site_url), and a copy button copies the snippet. Without JavaScript the snippet still reads. */
(function () {
  "use strict";
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");  // file:// and plain http: the older way
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = document.execCommand("copy");
    area.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function enhance(code) {
    if (!/src="https?:\/\//.test(code.textContent)) {  // built without site_url: the address is relative
      var absolute = new URL(code.getAttribute("data-embed-src"), document.baseURI).href;
      code.textContent = code.textContent.replace(/src="[^"]*"/, 'src="' + absolute + '"');
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button atlas-copy";
    button.textContent = "复制嵌入代码";
    var status = document.createElement("span");
    status.className = "atlas-copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copy(code.textContent).then(function () {
        status.textContent = "已复制";
      }, function () {
        status.textContent = "无法自动复制，请选中上面的代码后复制";
      });
    });
    var pre = code.closest("pre");
    pre.after(button, status);
  }

  document.querySelectorAll("code[data-embed-src]").forEach(enhance);
})();
