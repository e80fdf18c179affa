/* Embed snippets that work anywhere: the map's address is completed from this page's own address (when the site
   was built without site_url), and a copy button copies the snippet. Without JavaScript the snippet still reads. */
(function () {
  "use strict";
  // What the script writes, in the page's language (<html lang>: the Chinese edition or the English one)
  var WORDS = {
    zh: {copy: "复制嵌入代码", copied: "已复制", refused: "无法自动复制，请选中上面的代码后复制", making: "（正在生成…）",
         offline: "（从本地文件打开图集时浏览器不允许生成单文件，请在图集网站上下载，或直接打开地图页）",
         failed: "（单文件生成失败，请刷新页面后重试）"},
    en: {copy: "Copy the embed code", copied: "Copied",
         refused: "Could not copy: select the code above and copy it", making: " (preparing the file…)",
         offline: " (a browser does not let a page opened from a local file make the single file: download it from the" +
                  " atlas's web site, or open the map page itself)",
         failed: " (the single file could not be made: reload the page and try again)"}
  };
  function say(key) {
    return (WORDS[document.documentElement.lang.slice(0, 2)] || WORDS.zh)[key];
  }

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
    button.textContent = say("copy");
    var status = document.createElement("span");
    status.className = "atlas-copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copy(code.textContent).then(function () {
        status.textContent = say("copied");
      }, function () {
        status.textContent = say("refused");
      });
    });
    var pre = code.closest("pre");
    pre.after(button, status);
  }

  document.querySelectorAll("code[data-embed-src]").forEach(enhance);

  // The single-file map: made in the reader's browser from the map page and the files it loads, each written into
  // it (scripts, styles, the styles' images and the print image as data URIs), its links made absolute. It works,
  // and prints, offline and from any folder, like the map page. The atlas ships no copy of its own: 184 of them
  // were most of the site's bytes.
  function fetched(url, as) {
    return fetch(url).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": " + response.status);
      }
      return as === "blob" ? response.blob() : response.text();
    });
  }

  function dataUri(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(blob);
    });
  }

  function withImages(css, cssUrl) {  // url(images/x.png) → url(data:image/png;base64,…)
    var found = css.match(/url\((?!["']?data:)["']?[^)"']+["']?\)/g) || [];
    return Promise.all(found.map(function (match) {
      var relative = match.slice(4, -1).replace(/["']/g, "");
      return fetched(new URL(relative, cssUrl).href, "blob").then(dataUri).then(function (uri) {
        return [match, "url(" + uri + ")"];
      });
    })).then(function (pairs) {
      pairs.forEach(function (pair) { css = css.split(pair[0]).join(pair[1]); });
      return css;
    });
  }

  function singleFile(mapUrl) {
    return fetched(mapUrl).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var scripts = Array.prototype.map.call(doc.querySelectorAll("script[src]"), function (script) {
        return fetched(new URL(script.getAttribute("src"), mapUrl).href).then(function (code) {
          var inline = doc.createElement("script");
          inline.textContent = code;
          script.replaceWith(inline);
        });
      });
      var styles = Array.prototype.map.call(doc.querySelectorAll('link[rel="stylesheet"]'), function (link) {
        var cssUrl = new URL(link.getAttribute("href"), mapUrl).href;
        return fetched(cssUrl).then(function (css) { return withImages(css, cssUrl); }).then(function (css) {
          var style = doc.createElement("style");
          style.textContent = css;
          link.replaceWith(style);
        });
      });
      var images = Array.prototype.map.call(doc.querySelectorAll("img[src]"), function (img) {  // the print image
        return fetched(new URL(img.getAttribute("src"), mapUrl).href, "blob").then(dataUri).then(function (uri) {
          img.setAttribute("src", uri);
        });
      });
      return Promise.all(scripts.concat(styles, images)).then(function () {
        doc.querySelectorAll("a[href]").forEach(function (a) {
          a.setAttribute("href", new URL(a.getAttribute("href"), mapUrl).href);
        });
        // popups link to project pages (build_atlas/outputs/map/atlas-map.js), in the map's edition: the top of
        // the edition is the map page's folder's parent (maps/ or en/maps/)
        var base = doc.createElement("script");
        base.textContent = "var atlasLinkBase = " + JSON.stringify(new URL("../", mapUrl).href) + ";";
        doc.head.insertBefore(base, doc.head.querySelector("script"));
        return "<!DOCTYPE html>\n" + doc.documentElement.outerHTML + "\n";
      });
    });
  }

  function offerSingleFile(link) {
    var status = document.createElement("span");
    status.className = "atlas-copy-status";
    status.setAttribute("role", "status");
    link.after(status);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      status.textContent = say("making");
      singleFile(link.href).then(function (html) {
        var save = document.createElement("a");
        save.href = URL.createObjectURL(new Blob([html], {type: "text/html"}));
        save.download = link.getAttribute("data-single-file");
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(save.href); }, 60000);
        status.textContent = "";
      }, function () {
        status.textContent = say(location.protocol === "file:" ? "offline" : "failed");
      });
    });
  }

  document.querySelectorAll("a[data-single-file]").forEach(offerSingleFile);
})();
